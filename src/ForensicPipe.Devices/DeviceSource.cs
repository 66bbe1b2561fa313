using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
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
