using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Jobs.Results;

namespace ForensicPipe.Devices.Restore;

/// <summary>
/// Restores the reconstructed partition onto a block device (the job's <c>device</c> sink). Before anything
/// is written it refuses a target that is mounted, has a mounted partition, is in use, is the job's own
/// source, is smaller than offset + partition size, is misaligned, or is not a block device (unless allowed).
/// Data is written at <c>offset + partition offset</c>, sector-aligned pieces with direct I/O; Absent ranges
/// that no fill stage materialised are skipped (the target keeps its old bytes there) and counted;
/// unfilled unreadable ranges are written as zeros, as a raw output and the digests have them. At the end
/// the target is fsynced; with <see cref="DeviceSinkOptions.Verify"/> every written range is read back with
/// direct I/O after the device's cache is dropped, and the SHA-256 of what was read must equal the SHA-256
/// of what was sent. A failed write ends the job with the offset reached; the report then says the target
/// is incomplete.
/// </summary>
public sealed class DeviceSink : IExtentConsumer, ITargetCheck
{
    private const int ReadBackChunk = 4 << 20;

    private readonly DeviceSinkOptions _options;
    private readonly Func<IBlockTarget> _open;
    private readonly List<(long Start, long Length)> _written = [];
    private IBlockTarget? _target;
    private IncrementalHash? _sent;
    private long? _partitionSize;
    private long _end;
    private long _bytesWritten;
    private long _skippedAbsent;
    private long _zeroedUnreadable;
    private long _directBytes;
    private bool _opened;
    private bool _completed;
    private bool _committed;
    private string? _failure;
    private JsonObject? _verify;
    private ReadBackResult? _readBack;
    private JsonObject? _targetDetails;

    /// <summary>Creates the sink for the device at <paramref name="path"/>.</summary>
    public DeviceSink(string path, DeviceSinkOptions options)
        : this(path, options, () => BlockTarget.Open(path, options?.AllowFile == true))
    {
    }

    internal DeviceSink(string path, DeviceSinkOptions options, Func<IBlockTarget> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(open);
        Path = path;
        _options = options;
        _open = open;
    }

    /// <inheritdoc />
    public string Name => "device";

    /// <summary>The target as given.</summary>
    public string Path { get; }

    /// <summary>Bytes written to the target so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <inheritdoc />
    public void CheckTarget(SourceInfo source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_target is not null)
        {
            return;
        }
        if (source.Path != Core.Sources.FileSource.StandardInput
            && BlockTarget.IdentityOf(System.IO.Path.GetFullPath(source.Path)) is TargetIdentity sourceIdentity
            && BlockTarget.IdentityOf(Path) is TargetIdentity targetIdentity
            && targetIdentity.Overlaps(sourceIdentity))
        {
            throw Refuse($"{Path} is the job's own source {source.Path} (or holds it, or is part of it)");
        }
        IBlockTarget target;
        try
        {
            target = _open();
        }
        catch (TargetRefusedException refusal)
        {
            throw Refuse(refusal.Message);
        }
        try
        {
            if (_options.Offset % target.LogicalSectorSize != 0)
            {
                throw Refuse($"offset {_options.Offset} is not a multiple of {Path}'s logical sector size {target.LogicalSectorSize}");
            }
            if (source.Size is not long size)
            {
                throw Refuse($"the size of the source {source.Path} is not known before reading it, so it cannot be checked that it fits on {Path}");
            }
            if (target.Size < _options.Offset + size)
            {
                throw Refuse($"{Path} holds {target.Size} bytes, less than offset {_options.Offset} + partition size {size} = {_options.Offset + size}");
            }
        }
        catch
        {
            target.Dispose();
            throw;
        }
        _target = target;
        _partitionSize = source.Size;
        _targetDetails = target.Describe();
    }

    private JobValidationException Refuse(string reason) => new(_options.JobName, _options.JsonPath, $"refused, nothing written: {reason}");

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        CheckTarget(source);
        _sent = _options.Verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _opened = true;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        IBlockTarget target = _target ?? throw new InvalidOperationException("OpenAsync was not called.");
        switch (extent.Kind)
        {
            case ExtentKind.Data:
                Write(target, extent.Offset, extent.Span);
                break;
            case ExtentKind.Absent:
                _skippedAbsent += extent.Length;
                break;
            default:
                long offset = extent.Offset;
                ZeroBytes.ForEachChunk(extent.Length, (this, target), (state, zeros) =>
                {
                    state.Item1.Write(state.target, offset, zeros);
                    offset += zeros.Length;
                });
                _zeroedUnreadable += extent.Length;
                break;
        }
        _end = extent.End;
        return ValueTask.CompletedTask;
    }

    private void Write(IBlockTarget target, long partitionOffset, ReadOnlySpan<byte> data)
    {
        try
        {
            target.Write(_options.Offset + partitionOffset, data);
        }
        catch (IOException exception)
        {
            throw Fail(partitionOffset, exception.Message, exception);
        }
        _sent?.AppendData(data);
        if (_written.Count > 0 && _written[^1].Start + _written[^1].Length == partitionOffset)
        {
            _written[^1] = (_written[^1].Start, _written[^1].Length + data.Length);
        }
        else
        {
            _written.Add((partitionOffset, data.Length));
        }
        Interlocked.Add(ref _bytesWritten, data.Length);
    }

    private DeviceIOException Fail(long partitionOffset, string detail, Exception inner)
    {
        _failure = $"stopped at partition byte {partitionOffset} (target byte {_options.Offset + partitionOffset}): {detail}; " +
            "bytes before it were written, the rest of the target holds what it held before";
        return new DeviceIOException(Path, _options.Offset + partitionOffset, $"restore failed, the target is incomplete: {detail}", inner);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        IBlockTarget target = _target ?? throw new InvalidOperationException("OpenAsync was not called.");
        try
        {
            target.Flush();
        }
        catch (IOException exception)
        {
            throw Fail(_end, exception.Message, exception);
        }
        _completed = true;
        if (_sent is not null)
        {
            await VerifyAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task VerifyAsync(IBlockTarget target, CancellationToken cancellationToken)
    {
        string sent = Convert.ToHexStringLower(_sent!.GetHashAndReset());
        bool cacheDropped = target.DropCache();
        using var readBack = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[][] arrays = [GC.AllocateArray<byte>(ReadBackChunk + 4096, pinned: true), GC.AllocateArray<byte>(ReadBackChunk + 4096, pinned: true)];
        Memory<byte>[] buffers = [.. arrays.Select(Aligned)];
        List<(long Offset, int Length)> chunks = [.. Chunks()];
        long verified = 0;
        try
        {
            // Reading the next chunk overlaps hashing the current one.
            Task? pending = chunks.Count > 0 ? Task.Run(() => ReadFull(target, chunks[0].Offset, buffers[0][..chunks[0].Length]), cancellationToken) : null;
            for (int i = 0; i < chunks.Count; i++)
            {
                await pending!.ConfigureAwait(false);
                if (i + 1 < chunks.Count)
                {
                    (long nextOffset, int nextLength) = chunks[i + 1];
                    Memory<byte> next = buffers[(i + 1) % 2][..nextLength];
                    pending = Task.Run(() => ReadFull(target, nextOffset, next), cancellationToken);
                }
                readBack.AppendData(buffers[i % 2].Span[..chunks[i].Length]);
                verified += chunks[i].Length;
            }
        }
        catch (IOException exception)
        {
            _verify = DescribeVerify(sent, null, verified, cacheDropped);
            _readBack = new ReadBackResult("sha256", sent, null);
            throw new DeviceIOException(Path, _options.Offset + verified, $"read-back for verification failed: {exception.Message}", exception);
        }
        string back = Convert.ToHexStringLower(readBack.GetHashAndReset());
        _verify = DescribeVerify(sent, back, verified, cacheDropped);
        _readBack = new ReadBackResult("sha256", sent, back);
        if (back != sent)
        {
            throw new VerificationMismatchException(
                $"{Path}: what was read back differs from what was written: sha256 sent {sent}, read back {back} ({verified} bytes in {_written.Count} range(s))");
        }
    }

    private IEnumerable<(long Offset, int Length)> Chunks()
    {
        foreach ((long start, long length) in _written)
        {
            for (long done = 0; done < length; done += ReadBackChunk)
            {
                yield return (_options.Offset + start + done, (int)Math.Min(ReadBackChunk, length - done));
            }
        }
    }

    private static Memory<byte> Aligned(byte[] pinned)
    {
        unsafe
        {
            fixed (byte* address = pinned)
            {
                int skip = (int)((4096 - ((nuint)address % 4096)) % 4096);
                return pinned.AsMemory(skip, ReadBackChunk);
            }
        }
    }

    private static void ReadFull(IBlockTarget target, long offset, Memory<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int count = target.Read(offset + done, destination.Span[done..]);
            if (count == 0)
            {
                throw new IOException($"the target ended at byte {offset + done}");
            }
            done += count;
        }
    }

    private JsonObject DescribeVerify(string sent, string? back, long bytes, bool cacheDropped) => new()
    {
        ["method"] = "read back every written range with direct I/O and compare SHA-256 digests",
        ["algorithm"] = "sha256",
        ["sentDigest"] = sent,
        ["readBackDigest"] = back,
        ["bytes"] = bytes,
        ["ranges"] = _written.Count,
        ["deviceCacheDropped"] = cacheDropped,
        ["match"] = back is not null && back == sent,
    };

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _committed = _completed;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var details = new JsonObject
        {
            ["path"] = Path,
            ["complete"] = _committed,
            ["offset"] = _options.Offset,
            ["partitionSize"] = _partitionSize,
            ["partitionBytesReached"] = _end,
            ["bytesWritten"] = BytesWritten,
            ["absent"] = _skippedAbsent > 0
                ? $"skipped: {_skippedAbsent} bytes the image does not contain were not written; the target keeps what it held there"
                : "none reached the sink (materialised by a fill stage, or the image has none)",
            ["absentBytesSkipped"] = _skippedAbsent,
            ["unreadableBytesZeroed"] = _zeroedUnreadable,
            ["synced"] = _completed,
            ["directBytes"] = _target?.DirectBytes ?? _directBytes,
            ["target"] = _targetDetails?.DeepClone(),
        };
        if (_verify is not null)
        {
            details["verify"] = _verify.DeepClone();
        }
        else if (_options.Verify)
        {
            details["verify"] = new JsonObject { ["match"] = null, ["note"] = "not run: the restore did not finish" };
        }
        return details;
    }

    /// <inheritdoc />
    public SinkOutcome Outcome => new(Path)
    {
        Incomplete = _opened && !_completed
            ? _failure ?? $"the job ended at partition byte {_end} of {_partitionSize} before the restore finished; the target holds a partial restore"
            : null,
        ReadBack = _readBack,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _directBytes = _target?.DirectBytes ?? _directBytes;
        _target?.Dispose();
        _target = null;
        _sent?.Dispose();
        _sent = null;
        return ValueTask.CompletedTask;
    }
}
