using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Tests.TestSupport;

/// <summary>A healthy device over bytes in memory: the inner device of most fault tests. Reads past the
/// end return 0 bytes (Linux block devices answer so).</summary>
internal sealed class MemoryBlockDevice(byte[] content, int sectorSize = 512) : IBlockDevice
{
    public string Path => "memory";

    public long ReportedSize => content.Length;

    public int LogicalSectorSize => sectorSize;

    public int PhysicalSectorSize => sectorSize;

    public string ReadMode => "memory";

    public bool Disposed { get; private set; }

    public DeviceReadResult Read(long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (offset >= content.Length)
        {
            return DeviceReadResult.Ok(0);
        }
        int count = (int)Math.Min(destination.Length, content.Length - offset);
        content.AsSpan((int)offset, count).CopyTo(destination);
        return DeviceReadResult.Ok(count);
    }

    public long? QueryCurrentSize() => content.Length;

    public JsonObject Describe() => new() { ["kind"] = "memory", ["logicalSectorSize"] = sectorSize };

    public void Dispose() => Disposed = true;
}
