namespace ForensicPipe.Devices;

/// <summary>What one positional read of a device gave: a byte count (0 at the end), or an error.</summary>
/// <param name="Bytes">Bytes read; 0 at the end of the device or on error.</param>
/// <param name="Error">The error, or <see cref="DeviceReadError.None"/>.</param>
public readonly record struct DeviceReadResult(int Bytes, DeviceReadError Error)
{
    /// <summary>Whether the read failed.</summary>
    public bool Failed => Error.Kind != DeviceErrorKind.None;

    /// <summary>A read that returned <paramref name="bytes"/> bytes.</summary>
    public static DeviceReadResult Ok(int bytes) => new(bytes, DeviceReadError.None);

    /// <summary>A failed read.</summary>
    public static DeviceReadResult Fail(DeviceReadError error) => new(0, error);
}
