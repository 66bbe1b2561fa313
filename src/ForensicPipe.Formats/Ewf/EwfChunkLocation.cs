namespace ForensicPipe.Formats.Ewf;

/// <summary>Where one chunk is stored.</summary>
/// <param name="Segment">Index of the segment file (0-based).</param>
/// <param name="Offset">File offset of its stored bytes.</param>
/// <param name="StoredLength">Stored bytes (compressed stream, or data and Adler-32).</param>
/// <param name="Compressed">Whether the chunk is a zlib stream.</param>
internal readonly record struct EwfChunkLocation(int Segment, long Offset, int StoredLength, bool Compressed);
