namespace ForensicPipe.Core.Jobs.Results;

/// <summary>The read-back of a split output: how many pieces were read back and how many differ from what was written.</summary>
/// <param name="Pieces">Pieces read back.</param>
/// <param name="Differing">Pieces whose digests differ.</param>
public sealed record PiecesReadBack(int Pieces, int Differing);
