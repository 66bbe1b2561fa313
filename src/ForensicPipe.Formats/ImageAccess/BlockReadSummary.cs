namespace ForensicPipe.Formats.ImageAccess;

/// <summary>What <see cref="ImageBlockReader"/> read.</summary>
/// <param name="Format">The image format (<c>partclone</c>, <c>raw</c>, …).</param>
/// <param name="PartitionSize">Bytes of the reconstructed partition.</param>
/// <param name="DataBytes">Bytes passed to the callback.</param>
/// <param name="AbsentBytes">Bytes the image does not contain (not passed to the callback).</param>
/// <param name="ChecksumsChecked">Stored checksums compared (0 unless asked).</param>
public sealed record BlockReadSummary(string Format, long PartitionSize, long DataBytes, long AbsentBytes, long ChecksumsChecked);
