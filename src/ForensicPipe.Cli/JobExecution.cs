using System.Runtime.InteropServices;
using ForensicPipe.Cli.Terminal;
using ForensicPipe.Cli.Telemetry;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Cli;

/// <summary>
/// Runs a job for any verb: telemetry, Ctrl+C/SIGTERM, progress bar, the one-line summary, and the exit
/// code. Every verb that moves data (run, image, restore, verify) builds a <see cref="JobSpec"/> and comes here.
/// </summary>
internal static class JobExecution
{
    /// <summary>Common switches of the verbs that run jobs.</summary>
    internal sealed record Switches(bool Quiet, TelemetryRequest Telemetry)
    {
        /// <summary>Why the run writes no report (said on standard error), or null when it writes one.</summary>
        public string? NoReportReason { get; init; }
    }

    public static async Task<int> RunAsync(JobSpec job, JobContext context, JobComponents components, Switches switches)
    {
        using var cancellation = new CancellationTokenSource();
        // Ctrl+C and SIGTERM cancel the job; the runner drains within a buffer or two, renames nothing and
        // writes a report marked cancelled.
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        void Cancel(PosixSignalContext signal)
        {
            signal.Cancel = true;
            cancellation.Cancel();
        }

        JobResult result;
        string requestedReport;
        using (TelemetrySetup.Create(TelemetrySettings.Resolve(switches.Telemetry, job.Telemetry, Environment.GetEnvironmentVariable)))
        {
            var runner = new JobRunner(job, context with { WritesReport = switches.NoReportReason is null }, components);
            requestedReport = runner.ReportPath;
            await using (ProgressBar.StartIfTerminal(switches.Quiet, () => runner.BytesProcessed, () => runner.TotalBytes))
            {
                result = await runner.RunAsync(cancellation.Token);
            }
        }
        if (!result.ReportSaved)
        {
            Console.Error.WriteLine($"fpipe: no report written: {switches.NoReportReason}");
        }
        else if (result.ReportPath != requestedReport && result.ReportPath != RenamedPartial(requestedReport))
        {
            // An earlier record keeps its name (docs/cli.md, "Reports and re-runs"): say where this one went.
            Console.Error.WriteLine($"fpipe: an earlier run's report has that name; this run's report is {result.ReportPath}");
        }
        return Summarise(result, switches.Quiet);
    }

    private static string RenamedPartial(string report) =>
        report.EndsWith(Core.Reporting.ReportPlacement.ReportSuffix, StringComparison.Ordinal)
            ? report[..^Core.Reporting.ReportPlacement.ReportSuffix.Length] + Core.Sinks.RawFileSink.PartialSuffix + Core.Reporting.ReportPlacement.ReportSuffix
            : report;

    /// <summary>Mismatches listed on standard error; the report holds all of them.</summary>
    private const int MismatchesShown = 10;

    private static int Summarise(JobResult result, bool quiet)
    {
        foreach (string warning in result.Warnings)
        {
            Console.Error.WriteLine($"fpipe: warning: {warning}");
        }
        if (result.Error is not null)
        {
            Console.Error.WriteLine($"fpipe: {result.Error}");
        }
        // The offsets of checksum mismatches are the result of a verification: print them even when quiet.
        if (result.Verification is { Mismatches.Count: > 1 } verification)
        {
            foreach (ChecksumResult mismatch in verification.Mismatches.Take(MismatchesShown))
            {
                Console.Error.WriteLine($"  mismatch: {mismatch}");
            }
            if (verification.MismatchCount > MismatchesShown)
            {
                Console.Error.WriteLine($"  … {verification.MismatchCount - MismatchesShown} more in the report");
            }
        }
        // Unreadable sectors are part of the result of an evidence copy: said even when quiet.
        if (result.SourceRead is SourceReadOutcome read)
        {
            if (read.BadSectors > 0)
            {
                Console.Error.WriteLine($"fpipe: {read.BadSectors} unreadable sector(s) in {read.BadRanges} range(s), " +
                    $"filled with {result.Fill}; ranges in the report");
            }
            if (read.UnreportedSectors > 0 && !quiet)
            {
                Console.Error.WriteLine($"fpipe: {read.UnreportedSectors} sector(s) past the reported size {read.ReportedSize} read; probed size {read.ProbedSize}");
            }
        }
        // A device left half-written and the read-back of a restore are results: said even when quiet.
        foreach (SinkOutcome sink in result.Sinks)
        {
            if (sink.Incomplete is not null)
            {
                Console.Error.WriteLine($"fpipe: target incomplete: {sink.Path}: {sink.Incomplete}");
            }
            if (sink.PiecesReadBack is PiecesReadBack pieces)
            {
                Console.Error.WriteLine($"read-back of {pieces.Pieces} piece(s) of {sink.Path}: " +
                    (pieces.Differing == 0 ? "match" : $"{pieces.Differing} DIFFERENT"));
            }
            if (sink.ReadBack is ReadBackResult readBack)
            {
                Console.Error.WriteLine($"read-back of {sink.Path}: {readBack.Algorithm} sent {readBack.SentDigest}, read back {readBack.ReadBackDigest}: " +
                    (readBack.Match ? "match" : "DIFFERENT"));
            }
        }
        if (!quiet)
        {
            if (result.Verification is VerificationResult checkedImage)
            {
                // A reader that finds a damaged chunk or group stops there (the error above), and so does a job that
                // fails or is cancelled: the count ends before that point, and "0 mismatch(es)" would read as a clean
                // image.
                Console.Error.WriteLine(checkedImage.MismatchCount == 0 && result.Status != JobStatus.Succeeded
                    ? $"verified: {checkedImage.Checked} checksum(s) passed before {StoppedBy(result.Status)}; {checkedImage.Method}"
                    : $"verified: {checkedImage.Checked} checksum(s), {checkedImage.MismatchCount} mismatch(es); {checkedImage.Method}");
            }
            foreach ((string algorithm, string digest) in result.Digests)
            {
                Console.Error.WriteLine($"{algorithm,-7} {digest}");
            }
            // Without a report (its reason was said above), the line does not end in an empty "report:".
            Console.Error.WriteLine(string.IsNullOrEmpty(result.ReportPath)
                ? $"{Outcome(result.Status)}; no report"
                : $"{Outcome(result.Status)}; report: {result.ReportPath}");
        }
        return result.Status switch
        {
            JobStatus.Succeeded => ExitCodes.Ok,
            JobStatus.Mismatch => ExitCodes.Mismatch,
            JobStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Failed,
        };
    }

    private static string StoppedBy(JobStatus status) => status switch
    {
        JobStatus.Mismatch => "the mismatch above stopped the reading",
        JobStatus.Cancelled => "the job was cancelled",
        _ => "the error above ended the job",
    };

    private static string Outcome(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "succeeded",
        JobStatus.Mismatch => "VERIFICATION MISMATCH",
        JobStatus.Cancelled => "cancelled (outputs left as .partial)",
        _ => "FAILED (outputs left as .partial)",
    };

    /// <summary>Maps an error thrown before or around a job to its exit code and prints it in one line.</summary>
    public static int Report(Exception exception)
    {
        Console.Error.WriteLine($"fpipe: {(exception is JobValidationException refusal ? Commands.FlagNames.Describe(refusal) : exception.Message)}");
        return exception switch
        {
            JobValidationException or Formats.ImageAccess.RandomAccessRefusedException => ExitCodes.Usage,
            VerificationMismatchException or ImageFormatException { IsChecksumMismatch: true } => ExitCodes.Mismatch,
            OperationCanceledException => ExitCodes.Cancelled,
            _ => ExitCodes.Failed,
        };
    }
}
