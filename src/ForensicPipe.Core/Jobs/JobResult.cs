using ForensicPipe.Core.Reporting;

namespace ForensicPipe.Core.Jobs;

/// <summary>How a job ended and where its report is.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Error">One line saying what went wrong, or null.</param>
/// <param name="ReportPath">The JSON report.</param>
/// <param name="TextReportPath">Its text rendering.</param>
/// <param name="Report">The report as written.</param>
/// <param name="Digests">Digest by algorithm name (lower-case hex).</param>
public sealed record JobResult(JobStatus Status, string? Error, string ReportPath, string TextReportPath,
    EvidenceReport Report, IReadOnlyDictionary<string, string> Digests)
{
    /// <summary>Whether the report was written (false when the job's context asked for none; the paths are then empty).</summary>
    public bool ReportSaved { get; init; } = true;
}
