using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Reporting;

namespace ForensicPipe.Core.Sinks;

public sealed partial class RawFileSink
{
    private long _writeOffset;
    private string? _firstError;

    /// <summary>The first failed write, with the byte offset of that write (not of its extent), becomes the
    /// job's error; the report keeps it with <see cref="WrittenUpTo"/>, where the output stops being whole.</summary>
    private DeviceIOException FirstWriteError(IOException exception)
    {
        // .NET appends the path to the OS's words; the exception names the file once, first.
        string detail = exception.Message.Replace($" : '{PartialPath}'", "", StringComparison.Ordinal).Replace($": '{PartialPath}'", "", StringComparison.Ordinal);
        var error = new DeviceIOException(PartialPath, _writeOffset, $"write failed: {detail}", exception);
        _firstError ??= error.Message;
        return error;
    }

    /// <summary>Checksum files belong to the output they were made of: none may outlive it, so they go when
    /// this output is about to replace it and again just before it takes the name.</summary>
    private void RemoveStaleSidecars()
    {
        try
        {
            ChecksumSidecar.RemoveAll(FinalPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(FinalPath, 0, $"cannot remove a checksum file of an earlier output: {exception.Message}", exception);
        }
    }
}
