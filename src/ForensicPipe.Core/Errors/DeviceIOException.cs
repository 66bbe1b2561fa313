namespace ForensicPipe.Core.Errors;

/// <summary>An I/O error on a source or target (device or file), with the offset it happened at.</summary>
public sealed class DeviceIOException : ForensicPipeException
{
    /// <summary>Creates the error for <paramref name="path"/> at <paramref name="offset"/>.</summary>
    public DeviceIOException(string path, long offset, string detail, Exception? innerException = null)
        : base($"{path}: {detail} at byte {offset}", innerException)
    {
        Path = path;
        Offset = offset;
    }

    /// <summary>The file or device.</summary>
    public string Path { get; }

    /// <summary>The byte offset reached when the error happened.</summary>
    public long Offset { get; }
}
