namespace ForensicPipe.Formats.Ewf;

/// <summary>The chunks one table section describes: where they are and where the last one ends.</summary>
/// <param name="FirstChunk">Number of the table's first chunk in the set.</param>
/// <param name="Count">Entries in the table.</param>
/// <param name="Segment">Index of the segment file (0-based).</param>
/// <param name="BaseOffset">File offset the entries are relative to.</param>
/// <param name="EndOffset">File offset where the last chunk's stored bytes end.</param>
internal readonly record struct EwfTableRange(long FirstChunk, int Count, int Segment, long BaseOffset, long EndOffset);
