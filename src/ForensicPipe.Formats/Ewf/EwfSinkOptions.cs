namespace ForensicPipe.Formats.Ewf;

/// <summary>How an <see cref="EwfSink"/> writes its set.</summary>
public sealed record EwfSinkOptions
{
    /// <summary>Replace an existing set of the same name.</summary>
    public bool Overwrite { get; init; }

    /// <summary>fsync every segment file before the rename and the folder after it.</summary>
    public bool Sync { get; init; }

    /// <summary>Read the written set back past the page cache and compare the MD5 before the rename (<see cref="EwfReadBack"/>).</summary>
    public bool Verify { get; init; }

    /// <summary>Chunk compression (default fast).</summary>
    public EwfCompression Compression { get; init; } = EwfCompression.Fast;

    /// <summary>Largest segment file in bytes (default 1500 MiB, as ewfacquire). The job spec requires at
    /// least 1 MiB; the sink itself accepts down to 4 KiB so that tests can make hundreds of segments. A
    /// segment always takes at least one chunk, and the last one may pass the size by its error2 list.</summary>
    public long SegmentSize { get; init; } = 1500L << 20;

    /// <summary>Sectors per chunk (default 64).</summary>
    public int SectorsPerChunk { get; init; } = 64;

    /// <summary>Bytes per sector (default 512).</summary>
    public int BytesPerSector { get; init; } = 512;

    /// <summary>Media type byte of the volume section (default fixed disk, 0x01).</summary>
    public byte MediaType { get; init; } = EwfVolume.FixedDisk;

    /// <summary>Whether the media is a physical device; null: when the source is a device.</summary>
    public bool? Physical { get; init; }

    /// <summary>Case metadata stored in the header sections; dates, software and OS are filled in when absent.</summary>
    public EwfCaseInfo Case { get; init; } = new();

    /// <summary>Chunk compression tasks in flight at once (default: processors + 2).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount + 2;

    /// <summary>Checks the values (an <see cref="ArgumentOutOfRangeException"/> names the wrong one).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentSize, 4096L, nameof(SegmentSize));
        if (BytesPerSector is not (512 or 1024 or 2048 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(BytesPerSector), BytesPerSector, "not 512, 1024, 2048 or 4096");
        }
        if (SectorsPerChunk < 1 || !int.IsPow2(SectorsPerChunk) || (long)SectorsPerChunk * BytesPerSector > EwfFormat.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(SectorsPerChunk), SectorsPerChunk, $"not a power of two giving chunks up to {EwfFormat.MaxChunkSize} bytes");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
    }
}
