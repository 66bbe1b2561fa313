using System.Runtime.CompilerServices;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Devices.Rescue;

namespace ForensicPipe.Devices;

// The read loop up to the reported size: chunks, the sector-by-sector rescue of a chunk that fails, retries, bad
// ranges, and the end of a device that is gone.
public sealed partial class DeviceSource
{
    /// <summary>Reads <c>[_position, end)</c> in pool-buffer chunks; a chunk that fails is rescued sector by sector.</summary>
    private async IAsyncEnumerable<Extent> ReadRangeAsync(IBlockDevice device, BufferPool pool, long end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PooledBuffer? buffer = null;
        try
        {
            while (_position < end && !_endedEarly)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int wanted = (int)Math.Min(pool.BufferSize, end - _position);
                // Whole sectors even for the tail of a file, so that the read can stay direct; a longer answer is cut.
                int request = Math.Min(pool.BufferSize, (wanted + _sectorSize - 1) / _sectorSize * _sectorSize);
                buffer = pool.Rent();
                DeviceReadResult result = await ReadDeviceAsync(buffer, 0, request, _position, cancellationToken).ConfigureAwait(false);
                int got = Math.Min(result.Bytes, wanted);
                if (got > _sectorSize)
                {
                    // Whole sectors keep the next read aligned; the cut-off part is read again.
                    got -= got % _sectorSize;
                }
                if (!result.Failed && got > 0)
                {
                    // A short answer is what the device had there; the rest is asked for again.
                    Extent data = Extent.Data(_position, buffer, got);
                    buffer = null;
                    Advance(got);
                    yield return data;
                    continue;
                }
                if (!result.Failed)
                {
                    // The device ends before its reported size (a reportedSize larger than the device).
                    _endedEarly = true;
                    break;
                }
                ThrowIfGone(device, result.Error, _position);
                Interlocked.Increment(ref _failedChunks);
                PooledBuffer first = buffer;
                buffer = null;
                await foreach (Extent extent in RescueAsync(pool, first, _position, wanted, cancellationToken).ConfigureAwait(false))
                {
                    yield return extent;
                }
            }
        }
        finally
        {
            buffer?.Release();
        }
    }

    /// <summary>Reads <c>[start, start + length)</c> sector by sector into <paramref name="first"/> and fresh
    /// buffers, emitting Data extents for readable runs and Unreadable extents for the rest.</summary>
    private async IAsyncEnumerable<Extent> RescueAsync(BufferPool pool, PooledBuffer first, long start, int length,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PooledBuffer? current = first;
        int filled = 0;
        long runStart = start;
        long badStart = -1;
        string badError = "";
        try
        {
            int size;
            for (long offset = start; offset < start + length; offset += size)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current ??= pool.Rent();
                // Up to the next sector boundary, so that a bad sector is recorded as exactly that sector.
                size = (int)Math.Min(_sectorSize - offset % _sectorSize, start + length - offset);
                DeviceReadResult result = await ReadSectorAsync(current, filled, size, offset, cancellationToken).ConfigureAwait(false);
                if (!result.Failed && result.Bytes >= size)
                {
                    if (badStart >= 0)
                    {
                        yield return Extent.Unreadable(badStart, offset - badStart, badError);
                        badStart = -1;
                    }
                    if (filled == 0)
                    {
                        runStart = offset;
                    }
                    filled += size;
                    Advance(size);
                    continue;
                }
                if (!result.Failed && result.Bytes == 0)
                {
                    _endedEarly = true;
                    break;
                }
                if (filled > 0)
                {
                    Extent data = Extent.Data(runStart, current, filled);
                    current = null;
                    filled = 0;
                    yield return data;
                }
                DeviceReadError error = result.Failed ? result.Error
                    : new DeviceReadError(0, $"short read of {result.Bytes} of {size} bytes", DeviceErrorKind.Media);
                ThrowIfGone(_device!, error, offset);
                if (badStart < 0)
                {
                    badStart = offset;
                    badError = error.Name;
                }
                RecordBad(offset, size, error);
            }
            if (filled > 0)
            {
                Extent data = Extent.Data(runStart, current!, filled);
                current = null;
                yield return data;
            }
            if (badStart >= 0)
            {
                yield return Extent.Unreadable(badStart, _position - badStart, badError);
            }
        }
        finally
        {
            current?.Release();
        }
    }

    /// <summary>Reads one sector, retrying a failure up to the configured number of times (not when the
    /// device is gone: nothing will come back).</summary>
    private async ValueTask<DeviceReadResult> ReadSectorAsync(PooledBuffer buffer, int at, int length, long offset, CancellationToken cancellationToken)
    {
        DeviceReadResult result = default;
        for (int attempt = 0; attempt <= _options.Retries; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
            }
            result = await ReadDeviceAsync(buffer, at, length, offset, cancellationToken).ConfigureAwait(false);
            if (!result.Failed && result.Bytes >= length)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref _recoveredSectors);
                }
                return result;
            }
            if (!result.Failed || result.Error.Kind == DeviceErrorKind.Gone)
            {
                return result;
            }
        }
        return result;
    }

    /// <summary>One read on a pool thread: a read blocked in the kernel then blocks only that thread, and the
    /// pipeline can give up on it (<see cref="ExtentPipeline.SourceAbandoned"/>).</summary>
    private Task<DeviceReadResult> ReadDeviceAsync(PooledBuffer buffer, int at, int length, long offset, CancellationToken cancellationToken)
    {
        IBlockDevice device = _device!;
        return Task.Run(() => device.Read(offset, buffer.Span.Slice(at, length)), cancellationToken);
    }

    private void Advance(int bytes)
    {
        Pend(_position, bytes, DdrescueMapfile.Finished);
        _position += bytes;
        Interlocked.Add(ref _bytesRead, bytes);
    }

    private void RecordBad(long offset, int size, DeviceReadError error)
    {
        long sector = offset / _sectorSize;
        long count;
        lock (_stateLock)
        {
            if (_badRanges.Count > 0 && _badRanges[^1] is BadRange last && last.FirstSector + last.SectorCount == sector)
            {
                _badRanges[^1] = last with { SectorCount = last.SectorCount + 1 };
            }
            else
            {
                _badRanges.Add(new BadRange(sector, 1, _sectorSize, error.Name));
            }
            _position = offset + size;
            count = ++_badSectors;
        }
        Pend(offset, size, DdrescueMapfile.BadSector);
        if (_options.MaxBadSectors is long limit && count > limit)
        {
            throw new DeviceIOException(_path, offset,
                $"{count} unreadable sectors, more than the limit of {limit} (maxBadSectors / --max-bad-sectors); the job stops");
        }
    }

    /// <summary>A device that has gone ends the job: reading on would only collect errors.</summary>
    private void ThrowIfGone(IBlockDevice device, DeviceReadError error, long offset)
    {
        if (error.Kind == DeviceErrorKind.Gone)
        {
            throw new DeviceIOException(_path, offset, $"the device is gone: {error.Name}");
        }
        long? now = device.QueryCurrentSize();
        if (now is null)
        {
            throw new DeviceIOException(_path, offset, $"the device is gone: {error.Name} and its size can no longer be read");
        }
        if (now < device.ReportedSize)
        {
            throw new DeviceIOException(_path, offset,
                $"the device shrank from {device.ReportedSize} to {now} bytes after {error.Name}; it was probably removed");
        }
    }
}
