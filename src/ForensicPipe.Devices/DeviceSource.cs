using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Devices.Rescue;

namespace ForensicPipe.Devices;

/// <summary>
/// A block device (or a regular file read the same way) as a pipeline source. It reads the reported size in
/// pool-buffer chunks (direct I/O into aligned buffers); a chunk that fails is read again sector by sector,
/// each failed sector up to <see cref="DeviceSourceOptions.Retries"/> more times, and what stays unreadable
/// becomes <see cref="ExtentKind.Unreadable"/> extents at its own offsets, so later data never shifts. Then it
/// probes past the reported size until the device refuses (the OS may report fewer sectors than the device has:
/// docs/architecture.md, "Sources"), in whole buffers and then sector by
/// sector to find the exact end: those sectors are part of the output. A device that is gone (ENODEV, its size can no longer be read, or it shrank) ends
/// the job with an error instead of a sector-by-sector crawl through nothing.
/// </summary>
public sealed partial class DeviceSource : IExtentSource, IResumableSource
{
    private readonly string _path;
    private readonly DeviceSourceOptions _options;
    private readonly Func<IBlockDevice> _open;
    private readonly List<BadRange> _badRanges = [];
    private readonly object _stateLock = new();
    private readonly DateTime _startLocal = DateTime.Now;
    private IBlockDevice? _device;
    private long _reportedSize;
    private int _sectorSize;
    private long _bytesRead;
    private long _position;
    private bool _started;
    private bool _finished;
    private bool _endedEarly;
    private string? _probeEnd;
    private long _unreportedSectors;
    private long _badSectors;
    private long _retries;
    private long _recoveredSectors;
    private long _failedChunks;
    private string? _mapfileError;

    /// <summary>Creates the source for <paramref name="path"/>; nothing is opened until <see cref="OpenAsync"/>.</summary>
    public DeviceSource(string path, DeviceSourceOptions options)
        : this(path, options, () => BlockDevice.Open(path, options?.DirectIo ?? true))
    {
    }

    /// <summary>Creates the source over any <see cref="IBlockDevice"/> (the tests' fault-injecting wrapper).</summary>
    internal DeviceSource(string path, DeviceSourceOptions options, Func<IBlockDevice> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(open);
        _path = path;
        _options = options;
        _open = open;
    }

    /// <inheritdoc />
    public IImageVerifier? Verifier => null;

    /// <inheritdoc />
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Ranges that stayed unreadable, merged, in ascending order.</summary>
    public IReadOnlyList<BadRange> BadRanges
    {
        get
        {
            lock (_stateLock)
            {
                return [.. _badRanges];
            }
        }
    }

    /// <summary>Sectors read past the reported size.</summary>
    public long UnreportedSectors => Interlocked.Read(ref _unreportedSectors);

    /// <inheritdoc />
    public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        IBlockDevice device = _open();
        try
        {
            _sectorSize = device.LogicalSectorSize;
            _reportedSize = _options.ReportedSize ?? device.ReportedSize;
            if (_sectorSize <= 0 || _reportedSize % _sectorSize != 0 && _options.ReportedSize is not null)
            {
                throw new ForensicPipeException(
                    $"{_path}: reportedSize {_reportedSize} is not a multiple of the logical sector size {_sectorSize}");
            }
            if (_options.MapfilePath is string mapfile)
            {
                PrepareMapfile(device, mapfile);
                // Written now as well as while reading and at the end: a mapfile that cannot be written fails the
                // job before it reads.
                WriteMapfile(mapfile, finished: false);
            }
        }
        catch
        {
            _partial?.Dispose();
            _partial = null;
            device.Dispose();
            throw;
        }
        _device = device;
        JsonObject details = device.Describe();
        details["reportedSize"] = _reportedSize;
        details["reportedSizeFrom"] = _options.ReportedSize is null ? "operating system" : "reportedSize option";
        details["readMode"] = device.ReadMode;
        return ValueTask.FromResult(new SourceInfo(device.Path, "device", _reportedSize, details));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        IBlockDevice device = _device ?? throw new InvalidOperationException("OpenAsync was not called.");
        if (pool.BufferSize % _sectorSize != 0)
        {
            throw new ForensicPipeException($"{_path}: the buffer size {pool.BufferSize} is not a multiple of the logical sector size {_sectorSize}");
        }
        _started = true;
        foreach (MapfileArea area in PlannedAreas())
        {
            if (_endedEarly)
            {
                break;
            }
            IAsyncEnumerable<Extent> extents = area.Status switch
            {
                DdrescueMapfile.Finished => ReadFromOutputAsync(pool, area.Position + area.Size, cancellationToken),
                DdrescueMapfile.BadSector when !_options.RetryBad => KeepBadAsync(area),
                DdrescueMapfile.BadSector => RetryBadAsync(pool, area.Position + area.Size, cancellationToken),
                _ => ReadRangeAsync(device, pool, area.Position + area.Size, cancellationToken),
            };
            await foreach (Extent extent in extents.ConfigureAwait(false))
            {
                yield return extent;
            }
        }
        if (_probedBefore)
        {
            _probeEnd = "probed by an earlier session";
        }
        else if (_options.Probe && !_endedEarly)
        {
            await foreach (Extent extent in ProbeAsync(pool, cancellationToken).ConfigureAwait(false))
            {
                yield return extent;
            }
        }
        else
        {
            _probeEnd = _endedEarly ? $"not probed: the device ended at byte {_position}, before the reported size" : "off";
        }
        _finished = true;
    }

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

    /// <inheritdoc />
    public SourceReadOutcome? ReadOutcome => _device is null
        ? null
        : new SourceReadOutcome(Interlocked.Read(ref _badSectors), BadRanges.Count, UnreportedSectors, _reportedSize, _finished ? _position : null);

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun()
    {
        if (_device is null)
        {
            return null;
        }
        IReadOnlyList<BadRange> bad = BadRanges;
        return new JsonObject
        {
            ["reportedSize"] = _reportedSize,
            ["osReportedSize"] = _device.ReportedSize,
            ["probedSize"] = _finished ? _position : null,
            ["bytesCovered"] = _position,
            ["logicalSectorSize"] = _sectorSize,
            ["unreportedSectors"] = UnreportedSectors,
            ["unreportedBytes"] = UnreportedSectors * _sectorSize,
            ["probe"] = _probeEnd ?? (_started ? "not reached" : "not started"),
            ["endedBeforeReportedSize"] = _endedEarly,
            ["readMode"] = _device.ReadMode,
            ["failedChunks"] = Interlocked.Read(ref _failedChunks),
            ["retries"] = Interlocked.Read(ref _retries),
            ["recoveredSectors"] = Interlocked.Read(ref _recoveredSectors),
            ["retriesPerSector"] = _options.Retries,
            ["badSectors"] = Interlocked.Read(ref _badSectors),
            ["maxBadSectors"] = _options.MaxBadSectors,
            ["badRanges"] = new JsonArray([.. bad.Select(range => (JsonNode?)new JsonObject
            {
                ["firstSector"] = range.FirstSector,
                ["sectorCount"] = range.SectorCount,
                ["offset"] = range.Offset,
                ["length"] = range.Length,
                ["error"] = range.Error,
            })]),
            ["mapfile"] = _options.MapfilePath,
            ["mapfileError"] = _mapfileError,
            ["mapfileWrites"] = _mapfileWrites,
            ["resume"] = DescribeResume(),
            ["sessions"] = DescribeSessions(),
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_device is not null)
        {
            if (_options.MapfilePath is string mapfile && _started)
            {
                try
                {
                    WriteMapfile(mapfile, _finished, final: true);
                }
                catch (ForensicPipeException exception)
                {
                    _mapfileError = exception.Message;
                }
            }
            _partial?.Dispose();
            _partial = null;
            _device.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
