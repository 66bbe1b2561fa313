using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Tests.TestSupport;

/// <summary>
/// Wraps a device and injects faults (the idea of microsoft/garnet's SimulatedFlakyDevice): sectors that
/// always fail with EIO, sectors that fail a set number of times and then read, a reported size smaller
/// than the real one, refusal with EINVAL past the real end (as Windows answers), short reads, and a
/// device that vanishes after a number of bytes (EIO everywhere; its size then unreadable, or unchanged).
/// A read touching a bad sector fails as a whole, as a disk's multi-sector read does.
/// </summary>
internal sealed class FaultyBlockDevice(IBlockDevice inner) : IBlockDevice
{
    private static readonly DeviceReadError s_eio = new(5, "EIO (Input/output error)", DeviceErrorKind.Media);
    private static readonly DeviceReadError s_einval = new(22, "EINVAL (Invalid argument)", DeviceErrorKind.Refused);
    private readonly Dictionary<long, int> _transient = [];
    private long _bytesServed;

    /// <summary>Sectors that never read.</summary>
    public HashSet<long> BadSectors { get; } = [];

    /// <summary>Sectors reported by the device; null for the inner device's size.</summary>
    public long? ReportedSectors { get; init; }

    /// <summary>Past the real end, fail with EINVAL instead of returning 0 bytes.</summary>
    public bool RefusePastEnd { get; init; }

    /// <summary>Refuses (EINVAL) any read that reaches past the real end, as Windows does without extended
    /// DASD I/O, instead of answering with the bytes up to the end.</summary>
    public bool RefuseReadsCrossingEnd { get; init; }

    /// <summary>Answer chunk reads with at most this many bytes (a short read), when set.</summary>
    public int? MaxBytesPerRead { get; init; }

    /// <summary>After this many bytes served, every read fails with EIO.</summary>
    public long? VanishAfterBytes { get; init; }

    /// <summary>Whether the size can still be read once vanished (a device that stays but fails everywhere).</summary>
    public bool SizeSurvivesVanishing { get; init; }

    /// <summary>A read at or past this offset waits for <see cref="Gate"/> (a device hung in the kernel).</summary>
    public long? HangAtOffset { get; init; }

    /// <summary>Opens the hung read.</summary>
    public ManualResetEventSlim Gate { get; } = new(false);

    /// <summary>Reads asked for, for bounds in the tests.</summary>
    public int Reads { get; private set; }

    /// <summary>Read calls that ended in an injected error.</summary>
    public int FailedReads { get; private set; }

    public bool Disposed { get; private set; }

    public bool Vanished => VanishAfterBytes is long limit && _bytesServed >= limit;

    /// <summary>Makes <paramref name="sector"/> fail <paramref name="times"/> times, then read.</summary>
    public FaultyBlockDevice FailTransiently(long sector, int times)
    {
        _transient[sector] = times;
        return this;
    }

    public string Path => inner.Path;

    public long ReportedSize => ReportedSectors is long sectors ? sectors * LogicalSectorSize : inner.ReportedSize;

    public int LogicalSectorSize => inner.LogicalSectorSize;

    public int PhysicalSectorSize => inner.PhysicalSectorSize;

    public string ReadMode => inner.ReadMode;

    public DeviceReadResult Read(long offset, Span<byte> destination)
    {
        Reads++;
        if (HangAtOffset is long hang && offset >= hang)
        {
            Gate.Wait();
        }
        if (Vanished)
        {
            FailedReads++;
            return DeviceReadResult.Fail(s_eio);
        }
        long first = offset / LogicalSectorSize;
        long last = (offset + destination.Length - 1) / LogicalSectorSize;
        bool failed = false;
        for (long sector = first; sector <= last; sector++)
        {
            if (BadSectors.Contains(sector))
            {
                failed = true;
            }
            else if (_transient.TryGetValue(sector, out int left) && left > 0)
            {
                _transient[sector] = left - 1;
                failed = true;
            }
        }
        if (failed)
        {
            FailedReads++;
            return DeviceReadResult.Fail(s_eio);
        }
        if ((RefusePastEnd && offset >= inner.ReportedSize) || (RefuseReadsCrossingEnd && offset + destination.Length > inner.ReportedSize))
        {
            FailedReads++;
            return DeviceReadResult.Fail(s_einval);
        }
        Span<byte> target = MaxBytesPerRead is int most && destination.Length > most ? destination[..most] : destination;
        DeviceReadResult result = inner.Read(offset, target);
        _bytesServed += result.Bytes;
        return result;
    }

    public long? QueryCurrentSize() => Vanished && !SizeSurvivesVanishing ? null : inner.QueryCurrentSize();

    public JsonObject Describe() => inner.Describe();

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
    }
}
