using ForensicPipe.Core.Jobs.Results;
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
    /// <summary>The verify stage's result, or null when the job had none.</summary>
    public VerificationResult? Verification { get; init; }

    /// <summary>What reading the source found that must be said (bad and unreported sectors), or null.</summary>
    public SourceReadOutcome? SourceRead { get; init; }

    /// <summary>The sinks' outcomes that the job's result depends on (partial targets, read-backs).</summary>
    public IReadOnlyList<SinkOutcome> Sinks { get; init; } = [];

    /// <summary>What absent and unreadable ranges became (the fill pattern, or none).</summary>
    public string Fill { get; init; } = "";

    /// <summary>Warnings about the source (e.g. a header that does not add up), also in the report.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the report was written (false when the job's context asked for none; the paths are then empty).</summary>
    public bool ReportSaved { get; init; } = true;
}
