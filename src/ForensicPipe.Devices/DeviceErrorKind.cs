namespace ForensicPipe.Devices;

/// <summary>How a failed read of a device is to be treated.</summary>
public enum DeviceErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The medium could not be read there (EIO, ERROR_CRC, ERROR_SECTOR_NOT_FOUND): a bad sector,
    /// or a transient fault that a retry may clear.</summary>
    Media,

    /// <summary>The device refused the request (EINVAL, EPERM, EACCES; ERROR_ACCESS_DENIED,
    /// ERROR_INVALID_PARAMETER): past its end when probing.</summary>
    Refused,

    /// <summary>The device is no longer there (ENODEV, ENXIO, ENOMEDIUM; ERROR_DEVICE_NOT_CONNECTED,
    /// ERROR_NOT_READY): retrying cannot help.</summary>
    Gone,

    /// <summary>Any other error.</summary>
    Other,
}
