namespace ForensicPipe.Core.Jobs.Results;

/// <summary>What reading a device source found that the user must be told: unreadable sectors and sectors
/// past the size the device reported.</summary>
/// <param name="BadSectors">Sectors that stayed unreadable after the retries.</param>
/// <param name="BadRanges">The ranges they form.</param>
/// <param name="UnreportedSectors">Sectors read past the reported size.</param>
/// <param name="ReportedSize">The size the device reported, in bytes.</param>
/// <param name="ProbedSize">The size found by probing, once the read reached the end.</param>
public sealed record SourceReadOutcome(long BadSectors, int BadRanges, long UnreportedSectors, long? ReportedSize, long? ProbedSize);
