using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Writes the stream as an Expert Witness / EnCase 6 evidence set (<c>NAME.E01</c>, <c>NAME.E02</c>, …;
/// docs/formats/e01.md) that ewfverify, ewfinfo and ewfexport accept. The stream is cut into chunks, collected
/// in batches of about 1 MiB; each full batch is compressed on the thread pool while the next fills, several
/// batches at once; one write task after another lays the batches out in order (<see cref="EwfSegmentWriter"/>),
/// and MD5 and SHA-1 run over the same batches in order on two more tasks. A fixed set of batches bounds memory
/// and makes the sink wait when compression falls behind. Absent ranges become zeros (a fill stage before the
/// sink makes them its pattern), Unreadable ranges zeros plus an error2 entry. The digests are the sink's own, of
/// exactly the media it stores, so the container always carries them whatever hash stages the job has.
/// Files are written as <c>.partial</c> and renamed by <see cref="CommitAsync"/>.
/// </summary>
public sealed class EwfSink : IExtentConsumer, ITargetCheck, INamedOutput, IDigestSource
{
    private const int TargetBatchBytes = 1 << 20;

    private readonly EwfSinkOptions _options;
    private readonly ConcurrentBag<EwfChunkCodec> _codecs = [];
    private readonly Channel<EwfChunkBatch> _free = Channel.CreateUnbounded<EwfChunkBatch>();
    private readonly List<EwfErrorRange> _errors = [];
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private EwfSegmentWriter? _writer;
    private EwfChunkBatch? _current;
    private EwfVolume _volume;
    private int _chunkSize;
    private int _chunksPerBatch;
    private int _batches;
    private Task _writeTail = Task.CompletedTask;
    private Task _md5Tail = Task.CompletedTask;
    private Task _sha1Tail = Task.CompletedTask;
    private long _mediaBytes;
    private long _paddingBytes;
    private long _unreadableBytes;
    private string? _md5Hex;
    private string? _sha1Hex;
    private byte[]? _streamMd5;
    private byte[]? _streamSha1;
    private bool _committed;
    private ReadBackResult? _readBack;
    private JsonObject? _verification;
    private string? _syncMode;

    /// <summary>Creates the sink for the set whose first segment file is <paramref name="path"/> (<c>NAME.E01</c>).</summary>
    public EwfSink(string path, EwfSinkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FinalPath = System.IO.Path.GetFullPath(path);
        _options = options ?? new EwfSinkOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => "e01";

    /// <summary>The first segment file's name once complete.</summary>
    public string FinalPath { get; }

    /// <summary>Every segment file's final name (known as they are created).</summary>
    public IReadOnlyList<string> SegmentPaths => _writer?.FinalPaths ?? [];

    /// <summary>Whether the files were renamed to their final names.</summary>
    public bool Committed => _committed;

    /// <summary>MD5 of the stored media, lower-case hex, once complete.</summary>
    public string? Md5 => _md5Hex;

    /// <summary>SHA-1 of the stored media, lower-case hex, once complete.</summary>
    public string? Sha1 => _sha1Hex;

    /// <summary>The unreadable sector runs stored in error2.</summary>
    public IReadOnlyList<EwfErrorRange> ErrorRanges => _errors;

    /// <summary>Refuses an existing set unless overwriting, or a directory in its place. A second segment
    /// without the first is refused too: the rename would fail on it after the whole copy, and a reader would
    /// take it for part of this set.</summary>
    public void CheckTarget()
    {
        if (!_options.Overwrite && File.Exists(FinalPath))
        {
            throw new JobValidationException(FinalPath, "$", "the output exists; set \"overwrite\": true (or --overwrite) to replace it");
        }
        string second = EwfSegmentNames.PathOf(FinalPath, 2);
        if (!_options.Overwrite && File.Exists(second))
        {
            throw new JobValidationException(FinalPath, "$",
                $"{second} exists (a segment of an earlier set); set \"overwrite\": true (or --overwrite) to replace that set");
        }
        if (Directory.Exists(FinalPath))
        {
            throw new JobValidationException(FinalPath, "$", "the output is a directory");
        }
    }

    /// <inheritdoc />
    public void CheckTarget(SourceInfo source) => CheckTarget();

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckTarget();
        _chunkSize = _options.SectorsPerChunk * _options.BytesPerSector;
        _chunksPerBatch = Math.Max(1, TargetBatchBytes / _chunkSize);
        bool physical = _options.Physical ?? source.Format == "device";
        long expected = source.Size ?? 0;
        _volume = VolumeFor(expected, (byte)(EwfVolume.ImageFlag | (physical ? EwfVolume.PhysicalFlag : 0)));
        EwfCaseInfo info = CompleteCaseInfo(_options.Case);
        _writer = new EwfSegmentWriter(FinalPath, _options.SegmentSize,
            EwfHeaderText.CompressHeader2(info), EwfHeaderText.CompressHeader(info), _volume);
        _writer.Start();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ThrowIfFailed();
        if (extent.Offset != _mediaBytes)
        {
            throw new InvalidOperationException($"The E01 sink expected offset {_mediaBytes}, got {extent.Offset}.");
        }
        if (extent.Kind == ExtentKind.Unreadable)
        {
            RecordUnreadable(extent.Offset, extent.Length);
        }
        long done = 0;
        while (done < extent.Length)
        {
            EwfChunkBatch batch = _current ??= await RentBatchAsync(cancellationToken).ConfigureAwait(false);
            int take = (int)Math.Min(extent.Length - done, batch.Input.Length - batch.Length);
            Span<byte> target = batch.Input.AsSpan(batch.Length, take);
            if (extent.Kind == ExtentKind.Data)
            {
                extent.Span.Slice((int)done, take).CopyTo(target);
            }
            else
            {
                target.Clear();
            }
            batch.Length += take;
            done += take;
            _mediaBytes += take;
            if (batch.IsFull)
            {
                Dispatch(batch);
                _current = null;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EwfSegmentWriter writer = _writer ?? throw new InvalidOperationException("OpenAsync was not called.");
        ThrowIfFailed();
        // A set holds whole sectors: a stream that ends inside one is padded with zeros (and hashed so).
        int partial = (int)(_mediaBytes % _options.BytesPerSector);
        if (partial != 0)
        {
            _paddingBytes = _options.BytesPerSector - partial;
            EwfChunkBatch batch = _current ??= await RentBatchAsync(cancellationToken).ConfigureAwait(false);
            batch.Input.AsSpan(batch.Length, (int)_paddingBytes).Clear();
            batch.Length += (int)_paddingBytes;
            batch.Padding = (int)_paddingBytes;
        }
        if (_current is { Length: > 0 })
        {
            Dispatch(_current);
        }
        _current = null;
        await Task.WhenAll(_writeTail, _md5Tail, _sha1Tail).ConfigureAwait(false);
        byte[] md5 = _md5.GetHashAndReset();
        byte[] sha1 = _sha1.GetHashAndReset();
        _md5Hex = Convert.ToHexStringLower(md5);
        _sha1Hex = Convert.ToHexStringLower(sha1);
        long sectors = (_mediaBytes + _paddingBytes) / _options.BytesPerSector;
        if (_errors.Count > 0 && _errors[^1].FirstSector + _errors[^1].SectorCount > uint.MaxValue)
        {
            throw new ForensicPipeException($"{FinalPath}: an unreadable range beyond sector {uint.MaxValue} cannot be recorded in error2 (32-bit sector numbers)");
        }
        EwfVolume final = VolumeFor((_mediaBytes + _paddingBytes), _volume.MediaFlags);
        if (final.ChunkCount != writer.Chunks || (ulong)sectors != final.SectorCount)
        {
            throw new InvalidOperationException($"The E01 sink wrote {writer.Chunks} chunks for {sectors} sectors.");
        }
        writer.Finish(final, _errors, md5, sha1);
        if (_options.Sync || _options.Verify)
        {
            await FlushAndReadBackAsync(writer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public bool Computes(string algorithm) => algorithm is "md5" or "sha1";

    /// <inheritdoc />
    /// <remarks>Of the bytes handed to the sink: without the zeros that pad a stream ending inside a sector.</remarks>
    public string? StreamDigest(string algorithm)
    {
        if (_md5Hex is null)
        {
            return null;
        }
        byte[]? unpadded = algorithm == "md5" ? _streamMd5 : algorithm == "sha1" ? _streamSha1 : null;
        return unpadded is not null ? Convert.ToHexStringLower(unpadded) : algorithm == "md5" ? _md5Hex : algorithm == "sha1" ? _sha1Hex : null;
    }

    /// <inheritdoc />
    public SinkOutcome Outcome => new(FinalPath) { ReadBack = _readBack };

    private async Task FlushAndReadBackAsync(EwfSegmentWriter writer, CancellationToken cancellationToken)
    {
        string[] partials = [.. writer.FinalPaths.Select(EwfSegmentWriter.PartialPath)];
        string mode;
        try
        {
            mode = EwfReadBack.Flush(partials, dropCache: _options.Verify);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(partials[0], 0, $"cannot flush the segment files: {exception.Message}", exception);
        }
        _syncMode = _options.Sync ? "fsync of every segment file, then of the folder after the rename" : null;
        if (!_options.Verify)
        {
            return;
        }
        long written = _mediaBytes + _paddingBytes;
        EwfReadBack.Result read = await EwfReadBack.ReadAsync(FinalPath, RawFileSink.PartialSuffix, mode, cancellationToken).ConfigureAwait(false);
        bool match = read.Md5 == _md5Hex && read.Bytes == written;
        _readBack = new ReadBackResult("md5", _md5Hex!, read.Bytes == written ? read.Md5 : $"{read.Md5} ({read.Bytes} bytes)");
        _verification = new JsonObject
        {
            ["algorithm"] = "md5",
            ["method"] = "the segment files read back through the E01 reader: every section and chunk checksum, and the MD5 of the media",
            ["sentDigest"] = _md5Hex,
            ["readBackDigest"] = read.Md5,
            ["bytesSent"] = written,
            ["bytesReadBack"] = read.Bytes,
            ["readMode"] = read.Mode,
            ["match"] = match,
        };
        if (!match)
        {
            throw new VerificationMismatchException(
                $"{EwfSegmentWriter.PartialPath(FinalPath)}: read back after writing, md5 {read.Md5} ({read.Bytes} bytes) " +
                $"differs from the {_md5Hex} ({written} bytes) written; the set is left as .partial");
        }
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        EwfSegmentWriter writer = _writer ?? throw new InvalidOperationException("OpenAsync was not called.");
        foreach (string path in writer.FinalPaths)
        {
            File.Move(EwfSegmentWriter.PartialPath(path), path, _options.Overwrite);
        }
        // Segments of an older, longer set of the same name would be read as part of this one; .partial segments
        // of an earlier failed, longer run are left-overs of nothing.
        for (int number = writer.FinalPaths.Count + 1; number <= EwfFormat.MaxSegments; number++)
        {
            string stale = EwfSegmentNames.PathOf(FinalPath, number);
            bool final = File.Exists(stale), partial = File.Exists(EwfSegmentWriter.PartialPath(stale));
            if (!final && !partial)
            {
                break;
            }
            File.Delete(stale);
            File.Delete(EwfSegmentWriter.PartialPath(stale));
        }
        _committed = true;
        if (_options.Sync && System.IO.Path.GetDirectoryName(FinalPath) is string folder)
        {
            FileDurability.SyncDirectory(folder);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var description = new JsonObject
        {
            ["path"] = _committed ? FinalPath : EwfSegmentWriter.PartialPath(FinalPath),
            ["complete"] = _committed,
            ["format"] = "EnCase 6 (EWF-E01)",
            ["segments"] = new JsonArray([.. SegmentPaths.Select(path => (JsonNode?)(_committed ? path : EwfSegmentWriter.PartialPath(path)))]),
            ["compression"] = _options.Compression.ToString().ToLowerInvariant(),
            ["segmentSize"] = _options.SegmentSize,
            ["bytesPerSector"] = _options.BytesPerSector,
            ["sectorsPerChunk"] = _options.SectorsPerChunk,
            ["mediaBytes"] = _mediaBytes + _paddingBytes,
            ["paddingBytes"] = _paddingBytes,
            ["chunks"] = _writer?.Chunks ?? 0,
            ["compressedChunks"] = _writer?.CompressedChunks ?? 0,
            ["fileBytes"] = _writer?.FileBytes ?? 0,
            ["md5"] = _md5Hex,
            ["sha1"] = _sha1Hex,
            ["unreadableBytes"] = _unreadableBytes,
            ["sync"] = _syncMode,
            ["errorRanges"] = new JsonArray([.. _errors.Select(range => (JsonNode?)new JsonObject
            {
                ["firstSector"] = range.FirstSector,
                ["sectorCount"] = range.SectorCount,
            })]),
        };
        if (_options.Verify)
        {
            description["verify"] = _verification?.DeepClone() ?? new JsonObject { ["done"] = false, ["reason"] = "the set was not completed" };
        }
        return description;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Tasks still running own batches and the writer: let them end before closing anything.
        try
        {
            await Task.WhenAll(_writeTail, _md5Tail, _sha1Tail).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ForensicPipeException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already reported by ConsumeAsync or CompleteAsync.
        }
        _writer?.Dispose();
        while (_codecs.TryTake(out EwfChunkCodec? codec))
        {
            codec.Dispose();
        }
        _md5.Dispose();
        _sha1.Dispose();
    }

    private EwfVolume VolumeFor(long mediaBytes, byte mediaFlags)
    {
        ulong sectors = (ulong)((mediaBytes + _options.BytesPerSector - 1) / _options.BytesPerSector);
        ulong chunks = (sectors + (ulong)_options.SectorsPerChunk - 1) / (ulong)_options.SectorsPerChunk;
        if (chunks > uint.MaxValue)
        {
            throw new ForensicPipeException($"{FinalPath}: {chunks} chunks do not fit the volume section's 32-bit chunk count; use more sectors per chunk");
        }
        return new EwfVolume(_options.MediaType, (uint)chunks, (uint)_options.SectorsPerChunk, (uint)_options.BytesPerSector, sectors,
            mediaFlags, (byte)_options.Compression, (uint)_options.SectorsPerChunk, _volume.SetIdentifier == Guid.Empty ? Guid.NewGuid() : _volume.SetIdentifier);
    }

    private static EwfCaseInfo CompleteCaseInfo(EwfCaseInfo info)
    {
        DateTimeOffset now = DateTimeOffset.Now;
        string version = typeof(EwfSink).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
        // EnCase shows at most 11 characters of the version (docs/formats/e01.md).
        string software = $"fpipe {version}";
        return info with
        {
            AcquiredAt = info.AcquiredAt ?? now,
            SystemAt = info.SystemAt ?? now,
            SoftwareVersion = info.SoftwareVersion.Length > 0 ? info.SoftwareVersion : software.Length <= 11 ? software : version,
            OperatingSystem = info.OperatingSystem.Length > 0 ? info.OperatingSystem : OperatingSystemName(),
        };
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : RuntimeInformation.OSDescription;

    private void RecordUnreadable(long offset, long length)
    {
        _unreadableBytes += length;
        int sectorSize = _options.BytesPerSector;
        long first = offset / sectorSize;
        long end = (offset + length + sectorSize - 1) / sectorSize;
        if (_errors.Count > 0 && _errors[^1].FirstSector + _errors[^1].SectorCount >= first)
        {
            EwfErrorRange last = _errors[^1];
            _errors[^1] = last with { SectorCount = Math.Max(end, last.FirstSector + last.SectorCount) - last.FirstSector };
        }
        else
        {
            _errors.Add(new EwfErrorRange(first, end - first));
        }
        _writer?.SetErrorCount(_errors.Count);
    }

    private ValueTask<EwfChunkBatch> RentBatchAsync(CancellationToken cancellationToken)
    {
        if (_free.Reader.TryRead(out EwfChunkBatch? batch))
        {
            return ValueTask.FromResult(batch);
        }
        if (_batches < _options.Workers + 2)
        {
            _batches++;
            return ValueTask.FromResult(new EwfChunkBatch(_chunkSize, _chunksPerBatch));
        }
        return _free.Reader.ReadAsync(cancellationToken);
    }

    private void Dispatch(EwfChunkBatch batch)
    {
        EwfSegmentWriter writer = _writer!;
        bool compress = _options.Compression != EwfCompression.None;
        Task compressed = Task.Run(() =>
        {
            if (!_codecs.TryTake(out EwfChunkCodec? codec))
            {
                codec = new EwfChunkCodec(_options.Compression);
            }
            batch.Compress(codec, compress);
            _codecs.Add(codec);
        });
        Task write = Task.WhenAll(_writeTail, compressed).ContinueWith(static (ready, state) =>
        {
            ready.GetAwaiter().GetResult();
            var (writer, batch) = ((EwfSegmentWriter, EwfChunkBatch))state!;
            for (int i = 0; i < batch.ChunkCount; i++)
            {
                writer.AddChunk(batch.StoredChunk(i), batch.Stored[i].Compressed);
            }
            writer.Flush();
        }, (writer, batch), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        Task md5 = Hash(_md5Tail, _md5, batch, digest => _streamMd5 = digest);
        Task sha1 = Hash(_sha1Tail, _sha1, batch, digest => _streamSha1 = digest);
        _writeTail = write;
        _md5Tail = md5;
        _sha1Tail = sha1;
        Task.WhenAll(write, md5, sha1).ContinueWith(static (_, state) =>
        {
            var (free, batch) = ((Channel<EwfChunkBatch>, EwfChunkBatch))state!;
            batch.Length = 0;
            batch.Padding = 0;
            free.Writer.TryWrite(batch);
        }, (_free, batch), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    // The digest of the stream as handed over is taken before the padding of the last sector is hashed.
    private static Task Hash(Task previous, IncrementalHash hash, EwfChunkBatch batch, Action<byte[]> unpadded) =>
        previous.ContinueWith(static (_, state) =>
        {
            var (hash, batch, unpadded) = ((IncrementalHash, EwfChunkBatch, Action<byte[]>))state!;
            int data = batch.Length - batch.Padding;
            hash.AppendData(batch.Input, 0, data);
            if (batch.Padding > 0)
            {
                unpadded(hash.GetCurrentHash());
                hash.AppendData(batch.Input, data, batch.Padding);
            }
        }, (hash, batch, unpadded), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private void ThrowIfFailed()
    {
        if (_writeTail.IsFaulted)
        {
            _writeTail.GetAwaiter().GetResult();
        }
    }
}
