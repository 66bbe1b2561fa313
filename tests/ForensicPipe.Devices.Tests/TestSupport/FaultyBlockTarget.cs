using System.Text.Json.Nodes;
using ForensicPipe.Devices.Restore;

namespace ForensicPipe.Devices.Tests.TestSupport;

/// <summary>
/// Wraps a restore target and injects faults on the write side: a write touching a chosen byte fails with
/// EIO; after a number of bytes the device "vanishes" (every write and the fsync fail with ENODEV, as a
/// pulled USB disk answers); a write is silently corrupted (one byte flipped on its way to the device); the
/// read-back is corrupted (one byte flipped in what is read).
/// </summary>
internal sealed class FaultyBlockTarget(IBlockTarget inner) : IBlockTarget
{
    private long _bytesWritten;

    /// <summary>A write covering this target byte fails with EIO.</summary>
    public long? FailWriteAt { get; init; }

    /// <summary>After this many bytes written, writes and fsync fail with ENODEV.</summary>
    public long? VanishAfterBytes { get; init; }

    /// <summary>The byte at this target offset is flipped when written.</summary>
    public long? CorruptWriteAt { get; init; }

    /// <summary>The byte at this target offset is flipped when read back.</summary>
    public long? CorruptReadAt { get; init; }

    public int Writes { get; private set; }

    public bool Disposed { get; private set; }

    public string Path => inner.Path;

    public bool IsBlockDevice => inner.IsBlockDevice;

    public long Size => inner.Size;

    public int LogicalSectorSize => inner.LogicalSectorSize;

    public long DirectBytes => inner.DirectBytes;

    private bool Vanished => VanishAfterBytes is long limit && _bytesWritten >= limit;

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        Writes++;
        if (Vanished)
        {
            throw new IOException($"write of {data.Length} bytes at byte {offset} failed: ENODEV (No such device)");
        }
        if (FailWriteAt is long bad && bad >= offset && bad < offset + data.Length)
        {
            throw new IOException($"write of {data.Length} bytes at byte {offset} failed: EIO (Input/output error)");
        }
        if (CorruptWriteAt is long flip && flip >= offset && flip < offset + data.Length)
        {
            byte[] copy = data.ToArray();
            copy[flip - offset] ^= 0x01;
            inner.Write(offset, copy);
        }
        else
        {
            inner.Write(offset, data);
        }
        _bytesWritten += data.Length;
    }

    public int Read(long offset, Span<byte> destination)
    {
        int count = inner.Read(offset, destination);
        if (CorruptReadAt is long flip && flip >= offset && flip < offset + count)
        {
            destination[(int)(flip - offset)] ^= 0x80;
        }
        return count;
    }

    public void Flush()
    {
        if (Vanished)
        {
            throw new IOException("fsync failed: ENODEV (No such device)");
        }
        inner.Flush();
    }

    public bool DropCache() => inner.DropCache();

    public JsonObject Describe() => inner.Describe();

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
    }
}
