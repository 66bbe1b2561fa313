using System.Runtime.InteropServices;
using ForensicPipe.Cli.Terminal;
using ForensicPipe.Cli.Telemetry;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli;

/// <summary>
/// Runs a job for any verb: telemetry, Ctrl+C/SIGTERM, progress bar, the one-line summary, and the exit
/// code. Every verb that moves data (run, image, restore, verify) builds a <see cref="JobSpec"/> and comes here.
/// </summary>
internal static class JobExecution
{
    /// <summary>Common switches of the verbs that run jobs.</summary>
    internal sealed record Switches(bool Quiet, bool ConsoleTelemetry, Uri? OtlpEndpoint)
    {
        /// <summary>Why the run writes no report (said on standard error), or null when it writes one.</summary>
        public string? NoReportReason { get; init; }
    }

    public static async Task<int> RunAsync(JobSpec job, JobContext context, Switches switches)
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

        bool console = switches.ConsoleTelemetry || job.Telemetry?.Console == true;
        Uri? otlp = switches.OtlpEndpoint ?? job.Telemetry?.OtlpEndpoint;
        JobResult result;
        string requestedReport;
        using (TelemetrySetup.Create(console, otlp))
        {
            var runner = new JobRunner(job, context with { WritesReport = switches.NoReportReason is null }, Components.Create());
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
        if (result.Report.Root["warnings"] is System.Text.Json.Nodes.JsonArray warnings)
        {
            foreach (var warning in warnings)
            {
                Console.Error.WriteLine($"fpipe: warning: {warning}");
            }
        }
        if (result.Error is not null)
        {
            Console.Error.WriteLine($"fpipe: {result.Error}");
        }
        // The offsets of checksum mismatches are the result of a verification: print them even when quiet.
        if (result.Report.Root["verification"]?["mismatchList"] is System.Text.Json.Nodes.JsonArray mismatches && mismatches.Count > 1)
        {
            foreach (var mismatch in mismatches.Take(MismatchesShown))
            {
                Console.Error.WriteLine($"  mismatch: {mismatch}");
            }
            if (mismatches.Count > MismatchesShown)
            {
                Console.Error.WriteLine($"  … {mismatches.Count - MismatchesShown} more in the report");
            }
        }
        // Unreadable sectors are part of the result of an evidence copy: said even when quiet.
        if (result.Report.Root["source"]?["afterRun"] is System.Text.Json.Nodes.JsonObject device)
        {
            long bad = (long?)device["badSectors"] ?? 0;
            if (bad > 0)
            {
                Console.Error.WriteLine($"fpipe: {bad} unreadable sector(s) in {device["badRanges"]?.AsArray().Count} range(s), " +
                    $"filled with {result.Report.Root["stream"]?["fill"]}; ranges in the report");
            }
            long unreported = (long?)device["unreportedSectors"] ?? 0;
            if (unreported > 0 && !quiet)
            {
                Console.Error.WriteLine($"fpipe: {unreported} sector(s) past the reported size {device["reportedSize"]} read; probed size {device["probedSize"]}");
            }
        }
        // A device left half-written and the read-back of a restore are results: said even when quiet.
        if (result.Report.Root["incompleteTargets"] is System.Text.Json.Nodes.JsonArray incomplete)
        {
            foreach (var target in incomplete)
            {
                Console.Error.WriteLine($"fpipe: target incomplete: {target}");
            }
        }
        foreach (var sink in result.Report.Root["sinks"]?.AsArray() ?? [])
        {
            if (sink?["details"]?["verify"]?["pieces"] is System.Text.Json.Nodes.JsonArray pieces)
            {
                int differing = pieces.Count(piece => piece?["match"]?.GetValue<bool>() != true);
                Console.Error.WriteLine($"read-back of {pieces.Count} piece(s) of {sink["details"]!["path"]}: " +
                    (differing == 0 ? "match" : $"{differing} DIFFERENT"));
            }
            if (sink?["details"]?["verify"] is System.Text.Json.Nodes.JsonObject readBack && readBack["sentDigest"] is not null)
            {
                Console.Error.WriteLine($"read-back of {sink["details"]!["path"]}: sha256 sent {readBack["sentDigest"]}, read back {readBack["readBackDigest"]}: " +
                    (readBack["match"]?.GetValue<bool>() == true ? "match" : "DIFFERENT"));
            }
        }
        if (!quiet)
        {
            if (result.Report.Root["verification"] is System.Text.Json.Nodes.JsonObject verification)
            {
                Console.Error.WriteLine($"verified: {verification["checked"]} checksum(s), {verification["mismatches"]} mismatch(es); {verification["method"]}");
            }
            foreach ((string algorithm, string digest) in result.Digests)
            {
                Console.Error.WriteLine($"{algorithm,-7} {digest}");
            }
            Console.Error.WriteLine(result.ReportSaved ? $"{Outcome(result.Status)}; report: {result.ReportPath}" : Outcome(result.Status));
        }
        return result.Status switch
        {
            JobStatus.Succeeded => ExitCodes.Ok,
            JobStatus.Mismatch => ExitCodes.Mismatch,
            JobStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Failed,
        };
    }

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
