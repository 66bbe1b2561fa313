using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Reads an EWF-E01 set (ours, ewfacquire's, EnCase 6's; compressed or not; any number of segments and
/// sectors per chunk) as a job source: the media as Data extents, in order. Chunks are read and decoded on the
/// thread pool, several batches at once, and emitted in order; every chunk's zlib stream or Adler-32 is
/// checked on the way, and a damaged chunk ends the run as a checksum mismatch (exit code 3) naming the chunk,
/// the segment file and its offset. The stored MD5 and SHA-1 are checked by <see cref="Verifier"/> in a verify
/// stage (docs/formats/e01.md). Sectors listed in error2 are emitted as the zeros they hold.
/// </summary>
public sealed class EwfReader : IExtentSource
{
    private readonly string _path;
    private readonly ConcurrentBag<EwfChunkCodec> _codecs = [];
    private readonly ConcurrentBag<byte[]> _storedBuffers = [];
    private EwfSet? _set;
    private EwfVerifier? _verifier;
    private long _bytesRead;

    private EwfReader(string path) => _path = path;

    /// <summary>The reader of a set still named <c>NAME.E01</c> + <paramref name="suffix"/>, … (read back before the rename).</summary>
    internal static EwfReader OpenWithSuffix(string path, string suffix) => new(path) { SegmentSuffix = suffix };

    /// <summary>Appended to every segment file's name (<c>.partial</c>: the sink reading back a set it wrote).</summary>
    internal string SegmentSuffix { get; init; } = "";

    /// <summary>Batches decoded at once (default: processors + 2).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount + 2;

    /// <summary>Creates the reader of the set whose first segment file is <paramref name="path"/>; nothing is
    /// opened until <see cref="OpenAsync"/>.</summary>
    public static EwfReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new EwfReader(path);
    }

    /// <inheritdoc />
    public IImageVerifier? Verifier => _verifier;

    /// <inheritdoc />
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>The set's facts (after <see cref="OpenAsync"/>): metadata, geometry, error ranges, stored digests.</summary>
    public JsonObject Describe() => (_set ?? throw new InvalidOperationException("OpenAsync was not called.")).Describe();

    /// <inheritdoc />
    public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        _set = EwfSet.Open(_path, SegmentSuffix);
        _verifier = new EwfVerifier(_set);
        return ValueTask.FromResult(new SourceInfo(_path, EwfFormat.Name, _set.MediaSize, _set.Describe()));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        EwfSet set = _set ?? throw new InvalidOperationException("OpenAsync was not called.");
        int chunkSize = set.ChunkSize;
        bool large = chunkSize > pool.BufferSize;
        int perBatch = large ? 1 : pool.BufferSize / chunkSize;
        var inFlight = new Queue<Task<EwfReaderBatch>>();
        long nextChunk = 0;
        try
        {
            while (nextChunk < set.ChunkCount || inFlight.Count > 0)
            {
                while (nextChunk < set.ChunkCount && inFlight.Count < Workers)
                {
                    int count = (int)Math.Min(perBatch, set.ChunkCount - nextChunk);
                    long first = nextChunk;
                    long end = Math.Min(set.MediaSize, (first + count) * (long)chunkSize);
                    var batch = new EwfReaderBatch { FirstChunk = first, Count = count, Length = (int)(end - (first * (long)chunkSize)) };
                    if (large)
                    {
                        batch.Large = new byte[batch.Length];
                    }
                    else
                    {
                        batch.Buffer = pool.Rent();
                    }
                    inFlight.Enqueue(Task.Run(() => Decode(set, batch), cancellationToken));
                    nextChunk += count;
                }
                EwfReaderBatch done = await inFlight.Peek().ConfigureAwait(false);
                _ = inFlight.Dequeue();
                Interlocked.Add(ref _bytesRead, done.StoredBytes);
                long offset = done.FirstChunk * chunkSize;
                if (done.Buffer is PooledBuffer buffer)
                {
                    done.Buffer = null;
                    yield return Extent.Data(offset, buffer, done.Length, done.Count);
                    continue;
                }
                for (int at = 0; at < done.Length; at += pool.BufferSize)
                {
                    int piece = Math.Min(pool.BufferSize, done.Length - at);
                    PooledBuffer part = pool.Rent();
                    done.Large.AsSpan(at, piece).CopyTo(part.Span);
                    yield return Extent.Data(offset + at, part, piece, at == 0 ? done.Count : 0);
                }
            }
        }
        finally
        {
            // On a fault or cancellation, batches still decoding own pool buffers: wait for them and give them back.
            while (inFlight.Count > 0)
            {
                Task<EwfReaderBatch> pending = inFlight.Dequeue();
                try
                {
                    EwfReaderBatch unsent = await pending.ConfigureAwait(false);
                    unsent.Buffer?.Release();
                    unsent.Buffer = null;
                }
                catch (Exception exception) when (exception is Core.Errors.ForensicPipeException or OperationCanceledException or IOException)
                {
                }
            }
        }
    }

    private EwfReaderBatch Decode(EwfSet set, EwfReaderBatch batch)
    {
        if (!_codecs.TryTake(out EwfChunkCodec? codec))
        {
            codec = new EwfChunkCodec(EwfCompression.Fast);
        }
        if (!_storedBuffers.TryTake(out byte[]? stored) || stored.Length < set.MaxStoredLength * batch.Count)
        {
            stored = new byte[set.MaxStoredLength * batch.Count];
        }
        try
        {
            Span<byte> output = batch.Buffer is PooledBuffer buffer ? buffer.Span[..batch.Length] : batch.Large.AsSpan();
            // Consecutive chunks of one segment are one read.
            int i = 0;
            while (i < batch.Count)
            {
                EwfChunkLocation first = set.Locate(batch.FirstChunk + i);
                int run = 1;
                long runEnd = first.Offset + first.StoredLength;
                var locations = new EwfChunkLocation[batch.Count - i];
                locations[0] = first;
                while (i + run < batch.Count)
                {
                    EwfChunkLocation next = set.Locate(batch.FirstChunk + i + run);
                    if (next.Segment != first.Segment || next.Offset != runEnd)
                    {
                        break;
                    }
                    locations[run++] = next;
                    runEnd += next.StoredLength;
                }
                int runLength = (int)(runEnd - first.Offset);
                set.ReadStored(first.Segment, first.Offset, stored.AsSpan(0, runLength));
                batch.StoredBytes += runLength;
                int storedAt = 0;
                for (int j = 0; j < run; j++)
                {
                    long chunk = batch.FirstChunk + i + j;
                    int outputAt = (int)((chunk - batch.FirstChunk) * set.ChunkSize);
                    set.Decode(chunk, locations[j], stored, storedAt, output.Slice(outputAt, set.ChunkLength(chunk)), codec);
                    storedAt += locations[j].StoredLength;
                }
                i += run;
            }
            return batch;
        }
        catch
        {
            batch.Buffer?.Release();
            batch.Buffer = null;
            throw;
        }
        finally
        {
            _codecs.Add(codec);
            _storedBuffers.Add(stored);
        }
    }

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => null;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _verifier?.Dispose();
        _set?.Dispose();
        _set = null;
        while (_codecs.TryTake(out EwfChunkCodec? codec))
        {
            codec.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
