namespace ForensicPipe.Formats.Ewf;

/// <summary>Consecutive chunks of media on their way into a set: the media bytes, and after compression each
/// chunk's stored form in a slot of its own. Reused from a fixed set, so writing allocates no chunk buffers.</summary>
internal sealed class EwfChunkBatch
{
    /// <summary>Creates a batch of <paramref name="chunks"/> chunks of <paramref name="chunkSize"/> bytes.</summary>
    public EwfChunkBatch(int chunkSize, int chunks)
    {
        ChunkSize = chunkSize;
        Input = new byte[chunkSize * chunks];
        SlotSize = chunkSize + 4;
        Output = new byte[SlotSize * chunks];
        Stored = new (int, bool)[chunks];
    }

    /// <summary>Bytes per chunk (the last chunk of the media may be shorter).</summary>
    public int ChunkSize { get; }

    /// <summary>Bytes per output slot: a chunk and its Adler-32.</summary>
    public int SlotSize { get; }

    /// <summary>The media bytes.</summary>
    public byte[] Input { get; }

    /// <summary>The stored chunks, one per slot.</summary>
    public byte[] Output { get; }

    /// <summary>Stored length and compression of each chunk.</summary>
    public (int Length, bool Compressed)[] Stored { get; }

    /// <summary>Zero bytes at the end of <see cref="Length"/> that pad the stream to a whole sector (last batch only).</summary>
    public int Padding { get; set; }

    /// <summary>Media bytes filled so far.</summary>
    public int Length { get; set; }

    /// <summary>Whether no more media fits.</summary>
    public bool IsFull => Length == Input.Length;

    /// <summary>Chunks held (a short final chunk counts).</summary>
    public int ChunkCount => (Length + ChunkSize - 1) / ChunkSize;

    /// <summary>Stores every chunk with <paramref name="codec"/>.</summary>
    public void Compress(EwfChunkCodec codec, bool compress)
    {
        for (int i = 0; i < ChunkCount; i++)
        {
            int offset = i * ChunkSize;
            Stored[i] = codec.Store(Input, offset, Math.Min(ChunkSize, Length - offset), Output, i * SlotSize, compress);
        }
    }

    /// <summary>The stored bytes of chunk <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> StoredChunk(int index) => Output.AsMemory(index * SlotSize, Stored[index].Length);
}
