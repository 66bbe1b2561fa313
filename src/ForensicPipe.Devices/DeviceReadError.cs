namespace ForensicPipe.Devices;

/// <summary>The error of one failed device read: the OS code (errno on Linux, a Win32 error on Windows),
/// its symbolic name and how to treat it.</summary>
/// <param name="Code">errno or Win32 error code; 0 for none.</param>
/// <param name="Name">Symbolic name and text, e.g. <c>EIO (Input/output error)</c>.</param>
/// <param name="Kind">How the source treats it.</param>
public readonly record struct DeviceReadError(int Code, string Name, DeviceErrorKind Kind)
{
    /// <summary>No error.</summary>
    public static DeviceReadError None { get; } = new(0, "none", DeviceErrorKind.None);

    /// <inheritdoc />
    public override string ToString() => Name;
}
