using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Restore;

/// <summary>
/// "Write N bytes at offset" on an open, writable restore target: what <see cref="DeviceSink"/> needs and
/// what a fault-injecting wrapper in the tests replaces (write errors at chosen offsets, a device that
/// vanishes, a write or read-back that is silently corrupted). Failures throw <see cref="IOException"/>
/// with the OS error; the sink adds the offset it had reached.
/// </summary>
internal interface IBlockTarget : IDisposable
{
    /// <summary>The device or file as opened.</summary>
    string Path { get; }

    /// <summary>True for a block device, false for a regular file (<c>allowFile</c>).</summary>
    bool IsBlockDevice { get; }

    /// <summary>Bytes of the target (<c>BLKGETSIZE64</c>, a file's length).</summary>
    long Size { get; }

    /// <summary>Logical sector size: direct transfers are multiples of it, in offset, length and address.</summary>
    int LogicalSectorSize { get; }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> (direct where aligned).</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/> with
    /// direct I/O where aligned; returns the bytes read (0 at the end).</summary>
    int Read(long offset, Span<byte> destination);

    /// <summary>Makes every write durable (<c>fsync</c>).</summary>
    void Flush();

    /// <summary>Drops the target's cached pages, so reads come from the device; false where the OS refused.</summary>
    bool DropCache();

    /// <summary>Bytes written with direct I/O so far.</summary>
    long DirectBytes { get; }

    /// <summary>Identity and geometry for the report.</summary>
    JsonObject Describe();
}
