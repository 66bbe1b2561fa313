using System.Text.Json.Nodes;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Stages.Verify;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Finishes a job's record: the typed results the CLI summary reads (<see cref="JobResult"/>), the evidence
/// report rendered from the same results and the parts' details, and the checksum sidecars of committed
/// outputs.
/// </summary>
internal static class JobReportWriter
{
    /// <summary>What the fill stage did, or what absent ranges became without one.</summary>
    private const string NoFill = "none: absent and unreadable ranges are zeros in raw-file outputs (holes when sparse) and in the digests";

    /// <summary>The typed verification result of the graph's verify stage, or null without one.</summary>
    public static VerificationResult? Verification(JobGraph graph, JobStatus status) =>
        graph.Stages.OfType<VerifyStage>().FirstOrDefault() is VerifyStage verify
            ? new VerificationResult(verify.Method, graph.Log.Checked, graph.Log.MismatchCount, graph.Log.Mismatches,
                graph.Log.MismatchCount == 0 && status is JobStatus.Succeeded)
            : null;

    /// <summary>Renders everything after the run into <paramref name="report"/>, writes the sidecars of committed
    /// raw outputs, saves the report and returns the job's result.</summary>
    public static JobResult Finish(EvidenceReport report, string reportPath, ReportPlacementRequest placement, JobGraph graph,
        JobStatus status, string? error, PipelineResult? result, TimeSpan elapsed, bool abandonedRead)
    {
        VerificationResult? verification = Verification(graph, status);
        IReadOnlyList<SinkOutcome> sinks = [.. graph.Consumers.Select(consumer => consumer.Outcome).OfType<SinkOutcome>()];
        string fill = graph.Stages.OfType<FillStage>().FirstOrDefault()?.PatternName ?? NoFill;
        Dictionary<string, string> digests = graph.Hashers.Where(h => h.Digest is not null).ToDictionary(h => h.Algorithm, h => h.Digest!);

        JsonObject root = report.Root;
        root["endedUtc"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("O");
        root["durationSeconds"] = Math.Round(elapsed.TotalSeconds, 3);
        root["outcome"] = status switch
        {
            JobStatus.Succeeded => "succeeded",
            JobStatus.Mismatch => "verification-mismatch",
            JobStatus.Cancelled => "cancelled",
            _ => "failed",
        };
        root["complete"] = status is JobStatus.Succeeded or JobStatus.Mismatch && result is { Succeeded: true };
        root["error"] = error;
        RenderSource(root, graph.Source, abandonedRead);
        if (result is not null)
        {
            root["stream"] = new JsonObject
            {
                ["bytes"] = result.PartitionBytes,
                ["dataBytes"] = result.DataBytes,
                ["absentBytes"] = result.AbsentBytes,
                ["unreadableBytes"] = result.UnreadableBytes,
                ["fill"] = fill,
                ["extents"] = result.Extents,
                ["throughputBytesPerSecond"] = elapsed.TotalSeconds > 0 ? Math.Round(result.PartitionBytes / elapsed.TotalSeconds) : 0,
            };
        }
        root["stages"] = new JsonArray([.. graph.Stages.Select(stage => (JsonNode?)new JsonObject
        {
            ["type"] = stage.Name,
            ["details"] = stage.Describe(),
        })]);
        root["sinks"] = new JsonArray([.. graph.Consumers.Where(c => c is not HashConsumer and not HashGroupConsumer).Select(sink => (JsonNode?)new JsonObject
        {
            ["type"] = sink.Name,
            ["details"] = DescribeSink(sink),
        })]);
        if (sinks.Any(sink => sink.Incomplete is not null))
        {
            root["incompleteTargets"] = new JsonArray([.. sinks.Where(sink => sink.Incomplete is not null)
                .Select(sink => (JsonNode?)$"{sink.Path}: {sink.Incomplete}")]);
        }
        root["hashes"] = new JsonArray([.. graph.Hashers.Select(hasher => (JsonNode?)hasher.Describe())]);
        if (graph.HashThreads.Count > 0)
        {
            root["hashThreads"] = new JsonArray([.. graph.HashThreads.Select(group =>
                (JsonNode?)new JsonArray([.. group.Select(hasher => (JsonNode?)hasher.Algorithm)]))]);
        }
        if (verification is not null)
        {
            root["verification"] = new JsonObject
            {
                ["method"] = verification.Method,
                ["checked"] = verification.Checked,
                ["mismatches"] = verification.MismatchCount,
                ["passed"] = verification.Passed,
                ["mismatchList"] = new JsonArray([.. verification.Mismatches.Select(m => (JsonNode?)m.ToString())]),
            };
        }

        var sidecars = new List<string>();
        foreach (IRawFileOutput sink in graph.RawSinks.Where(sink => sink.Committed))
        {
            sidecars.AddRange(sink.WriteSidecars(digests));
        }
        root["sidecars"] = new JsonArray([.. sidecars.Select(path => (JsonNode?)path)]);
        if (!placement.WritesReport)
        {
            EvidenceReport.ReleaseReservation(reportPath);
            return new JobResult(status, error, "", "", report, digests)
            {
                ReportSaved = false,
                Verification = verification,
                SourceRead = graph.Source?.ReadOutcome,
                Sinks = sinks,
                Fill = fill,
                Warnings = graph.Info?.Warnings ?? [],
            };
        }
        // A report named after the output follows it (OUT.partial.report.json until renamed); an earlier record
        // is never replaced without overwrite (ReportPlacement).
        bool outputCommitted = graph.RawSinks.Count > 0
            ? graph.RawSinks[0].Committed
            : graph.Consumers.OfType<INamedOutput>().FirstOrDefault()?.Committed == true;
        string chosen = ReportPlacement.Choose(reportPath, placement.FollowsOutput, outputCommitted, placement.Overwrite, placement.Started);
        if (chosen != reportPath)
        {
            EvidenceReport.ReleaseReservation(reportPath);
        }
        (string savedReport, string textReport) = report.SaveOrFallBack(chosen);
        return new JobResult(status, error, savedReport, textReport, report, digests)
        {
            Verification = verification,
            SourceRead = graph.Source?.ReadOutcome,
            Sinks = sinks,
            Fill = fill,
            Warnings = graph.Info?.Warnings ?? [],
        };
    }

    private static void RenderSource(JsonObject root, IExtentSource? source, bool abandonedRead)
    {
        if (root["source"] is not JsonObject section || source is null)
        {
            return;
        }
        section["bytesRead"] = source.BytesRead;
        if (abandonedRead)
        {
            section["readAbandoned"] = "the job ended while a read of the source was still blocked";
        }
        if (source.DescribeAfterRun() is JsonObject after)
        {
            section["afterRun"] = after;
        }
    }

    /// <summary>A sink's details with its typed outcome: a partial target and the read-back.</summary>
    private static JsonObject DescribeSink(IExtentConsumer sink)
    {
        JsonObject details = sink.Describe();
        if (sink.Outcome is SinkOutcome outcome && outcome.Incomplete is not null)
        {
            details["targetIncomplete"] = outcome.Incomplete;
        }
        return details;
    }
}
