using ForensicPipe.Core.Extents;

namespace ForensicPipe.Formats.Disk;

/// <summary>The annotation of an extent a partition reader emitted, moved to its disk offset: the piece it belongs
/// to and the extent as the reader emitted it (partition offsets, the reader's own annotation), so that the piece's
/// verifier sees what it expects. The moved extent holds the buffer reference; this one only looks at it.</summary>
/// <param name="Piece">Index of the piece in <see cref="DiskSource.Pieces"/>.</param>
/// <param name="Original">The extent at its partition offset.</param>
internal sealed record DiskPieceMark(int Piece, Extent Original);
