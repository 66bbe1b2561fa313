namespace ForensicPipe.Devices.Rescue;

/// <summary>A run of consecutive sectors that stayed unreadable after retries.</summary>
/// <param name="FirstSector">Number of the first sector (in logical sectors from the start of the device).</param>
/// <param name="SectorCount">How many sectors.</param>
/// <param name="SectorSize">Logical sector size in bytes.</param>
/// <param name="Error">The error of the first sector's last read.</param>
public sealed record BadRange(long FirstSector, long SectorCount, int SectorSize, string Error)
{
    /// <summary>Byte offset of the first sector.</summary>
    public long Offset => FirstSector * SectorSize;

    /// <summary>Bytes covered.</summary>
    public long Length => SectorCount * SectorSize;
}
