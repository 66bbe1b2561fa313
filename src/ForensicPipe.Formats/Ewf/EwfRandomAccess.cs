using System.Text.Json.Nodes;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// An E01 set read at any offset through its chunk tables (for <c>fpipe mount</c>): a read decodes the chunks
/// it touches, checking each one's zlib stream or Adler-32 (so reads are always verified at chunk level), and
/// each thread keeps its last decoded chunk, since reads arrive in pieces smaller than a chunk. Safe from
/// several threads: positional reads, per-thread buffers (docs/formats/e01.md).
/// </summary>
public sealed class EwfRandomAccess : IRandomAccessImage
{
    [ThreadStatic]
    private static ThreadCache? t_cache;

    private readonly EwfSet _set;

    private EwfRandomAccess(EwfSet set) => _set = set;

    /// <summary>Opens the set whose first segment file is <paramref name="path"/>.</summary>
    public static EwfRandomAccess Open(string path) => new(EwfSet.Open(path));

    /// <summary>Opens the set of <paramref name="file"/> (its first segment); takes over the file on success.</summary>
    public static ValueTask<IRandomAccessImage> OpenAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        EwfRandomAccess image = Open(file.Path);
        file.Dispose();
        return ValueTask.FromResult<IRandomAccessImage>(image);
    }

    /// <inheritdoc />
    public string Path => _set.FirstPath;

    /// <inheritdoc />
    public string Format => EwfFormat.Name;

    /// <inheritdoc />
    public long Length => _set.MediaSize;

    /// <inheritdoc />
    public string? FileSystem => null;

    /// <inheritdoc />
    public long IndexMemoryBytes => _set.IndexBytes;

    /// <inheritdoc />
    public int Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= Length)
        {
            return 0;
        }
        int total = (int)Math.Min(destination.Length, Length - offset);
        ThreadCache cache = t_cache ??= new ThreadCache();
        int done = 0;
        while (done < total)
        {
            long position = offset + done;
            long chunk = position / _set.ChunkSize;
            int within = (int)(position - (chunk * _set.ChunkSize));
            ReadOnlySpan<byte> data = cache.Get(_set, chunk);
            int take = Math.Min(total - done, data.Length - within);
            data.Slice(within, take).CopyTo(destination[done..]);
            done += take;
        }
        return total;
    }

    /// <inheritdoc />
    public JsonObject Describe() => _set.Describe();

    /// <inheritdoc />
    public void Dispose() => _set.Dispose();

    /// <summary>One thread's buffers and last decoded chunk.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The codec's streams wrap arrays and hold nothing to release; the cache lives as long as its thread.")]
    private sealed class ThreadCache
    {
        private readonly EwfChunkCodec _codec = new(EwfCompression.Fast);
        private EwfSet? _owner;
        private long _chunk = -1;
        private byte[] _data = [];
        private int _length;
        private byte[] _stored = [];

        public ReadOnlySpan<byte> Get(EwfSet set, long chunk)
        {
            if (!ReferenceEquals(_owner, set) || _chunk != chunk)
            {
                _owner = null;
                EwfChunkLocation location = set.Locate(chunk);
                if (_stored.Length < location.StoredLength)
                {
                    _stored = new byte[set.MaxStoredLength];
                }
                if (_data.Length < set.ChunkSize)
                {
                    _data = new byte[set.ChunkSize];
                }
                _length = set.ChunkLength(chunk);
                set.ReadStored(location.Segment, location.Offset, _stored.AsSpan(0, location.StoredLength));
                set.Decode(chunk, location, _stored, 0, _data.AsSpan(0, _length), _codec);
                _owner = set;
                _chunk = chunk;
            }
            return _data.AsSpan(0, _length);
        }
    }
}
