using ForensicPipe.Core.Buffers;

namespace ForensicPipe.Formats.Ewf;

/// <summary>Consecutive chunks being read and decoded on the thread pool: their stored bytes and the media
/// they decode to, in a pool buffer (chunks up to the buffer size) or an array of their own (larger chunks).</summary>
internal sealed class EwfReaderBatch
{
    /// <summary>First chunk.</summary>
    public long FirstChunk { get; init; }

    /// <summary>Chunks in the batch.</summary>
    public int Count { get; init; }

    /// <summary>Media bytes the chunks decode to.</summary>
    public int Length { get; init; }

    /// <summary>The decoded media when it fits a pool buffer; holds one reference.</summary>
    public PooledBuffer? Buffer { get; set; }

    /// <summary>The decoded media of a chunk larger than a pool buffer.</summary>
    public byte[]? Large { get; set; }

    /// <summary>Stored bytes read from the segment files.</summary>
    public long StoredBytes { get; set; }
}
