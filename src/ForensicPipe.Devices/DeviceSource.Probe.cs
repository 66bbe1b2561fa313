using System.Runtime.CompilerServices;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;

namespace ForensicPipe.Devices;

// Reading past the reported size (docs/architecture.md, "Sources").
public sealed partial class DeviceSource
{
    /// <summary>Reads past the reported size until the device refuses: whole buffers while they come back
    /// whole, then sector by sector from the first buffer that does not, so the end is found to the sector.
    /// Sector by sector from the start (as quickdd does) read about 6 MiB/s here, one request per sector: a
    /// <c>reportedSize</c> a gibibyte short took minutes. A device that refuses a read crossing its end (as
    /// Windows does without extended DASD I/O) fails that buffer and is then probed sector by sector.</summary>
    private async IAsyncEnumerable<Extent> ProbeAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int chunk = pool.BufferSize;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PooledBuffer buffer = pool.Rent();
            DeviceReadResult result;
            try
            {
                result = await ReadDeviceAsync(buffer, 0, chunk, _position, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                buffer.Release();
                throw;
            }
            if (result.Failed || result.Bytes < chunk)
            {
                // A short or failed buffer: the sector loop below reads it again, one sector at a time.
                buffer.Release();
                break;
            }
            Extent data = Extent.Data(_position, buffer, chunk);
            Advance(chunk);
            Interlocked.Add(ref _unreportedSectors, chunk / _sectorSize);
            yield return data;
        }

        PooledBuffer? current = null;
        int filled = 0;
        long runStart = _position;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current ??= pool.Rent();
                if (filled == 0)
                {
                    runStart = _position;
                }
                DeviceReadResult result = await ReadSectorAsync(current, filled, _sectorSize, _position, cancellationToken).ConfigureAwait(false);
                if (!result.Failed && result.Bytes > 0)
                {
                    int size = Math.Min(result.Bytes, _sectorSize);
                    filled += size;
                    Advance(size);
                    if (size == _sectorSize)
                    {
                        Interlocked.Increment(ref _unreportedSectors);
                    }
                    if (size < _sectorSize || filled == current.Size)
                    {
                        Extent data = Extent.Data(runStart, current, filled);
                        current = null;
                        filled = 0;
                        yield return data;
                    }
                    if (size == _sectorSize)
                    {
                        continue;
                    }
                }
                _probeEnd = result.Failed ? $"refused at byte {_position}: {result.Error.Name}"
                    : $"end of device at byte {_position}";
                break;
            }
            if (filled > 0)
            {
                Extent data = Extent.Data(runStart, current!, filled);
                current = null;
                yield return data;
            }
        }
        finally
        {
            current?.Release();
        }
    }
}
