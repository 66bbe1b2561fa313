namespace ForensicPipe.Devices;

/// <summary>
/// "Read N bytes at offset" on an open, read-only device: what <see cref="DeviceSource"/> needs and what a
/// fault-injecting wrapper in the tests replaces (read errors at chosen sectors, transient errors, fewer
/// reported sectors than real, a device that vanishes). Errors are results, not exceptions, because a bad
/// sector is an expected outcome that the rescue loop handles per sector.
/// </summary>
internal interface IBlockDevice : IDisposable
{
    /// <summary>The device or file as opened (resolved name on Windows).</summary>
    string Path { get; }

    /// <summary>Bytes the OS reports (<c>BLKGETSIZE64</c>, <c>IOCTL_DISK_GET_LENGTH_INFO</c>, a file's length).</summary>
    long ReportedSize { get; }

    /// <summary>Logical sector size: the unit of addressing and of direct I/O.</summary>
    int LogicalSectorSize { get; }

    /// <summary>Physical sector size (the unit the medium writes).</summary>
    int PhysicalSectorSize { get; }

    /// <summary>How reads are made, for the report: direct I/O in use, or why not.</summary>
    string ReadMode { get; }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>. With
    /// direct I/O, offset, length and address are multiples of <see cref="LogicalSectorSize"/>.</summary>
    DeviceReadResult Read(long offset, Span<byte> destination);

    /// <summary>Asks the OS for the size again (after a failed read): null when the device cannot be asked
    /// any more, which means it has gone.</summary>
    long? QueryCurrentSize();

    /// <summary>Identity and geometry for the report (model, vendor, serial, transport, sector sizes).</summary>
    System.Text.Json.Nodes.JsonObject Describe();
}
