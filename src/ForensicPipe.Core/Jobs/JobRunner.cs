using System.Diagnostics;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Diagnostics;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Runs one validated job: the preflight (<see cref="JobPreflight"/>: nothing would be clobbered), the
/// graph of parts (<see cref="JobGraph"/>: source, stages, sinks, hashers), the pipeline, the commit of the
/// outputs only when everything succeeded, and the record (<see cref="JobReportWriter"/>: typed results,
/// evidence report, checksum sidecars). Run-time failures end up in the result and the report; only a job
/// that is refused before anything runs throws (<see cref="JobValidationException"/>).
/// </summary>
public sealed class JobRunner
{
    private readonly JobSpec _job;
    private readonly JobContext _context;
    private readonly JobComponents _components;
    private ExtentPipeline? _pipeline;

    /// <summary>Prepares a run of <paramref name="job"/>.</summary>
    public JobRunner(JobSpec job, JobContext context, JobComponents components)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(components);
        _job = job;
        _context = context;
        _components = components;
    }

    /// <summary>Partition bytes through the pipeline so far (for progress).</summary>
    public long BytesProcessed => _pipeline?.PartitionBytes ?? 0;

    /// <summary>The source's size once it is open, if known (for progress and ETA).</summary>
    public long? TotalBytes { get; private set; }

    /// <summary>Buffers created by the last run's pool (its high-water mark), for memory checks.</summary>
    public int BuffersCreated { get; private set; }

    /// <summary>Buffers not returned to the last run's pool: zero after every run, faulted or not.</summary>
    public int BuffersOutstanding { get; private set; }

    /// <summary>Processors the hash algorithms are spread over (<see cref="Environment.ProcessorCount"/>): with
    /// more algorithms than this, they share threads (<see cref="HashThreadPlan"/>).</summary>
    public int HashProcessors
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = Environment.ProcessorCount;

    /// <summary>Relative cost of hashing with an algorithm, for sharing threads; measured at job start by
    /// default (<see cref="HashThreadPlan.MeasureCost"/>), and only when the algorithms outnumber
    /// <see cref="HashProcessors"/>.</summary>
    public Func<string, double> HashCost { get; init; } = HashThreadPlan.MeasureCost;

    /// <summary>Where the JSON report goes.</summary>
    public string ReportPath => JobPreflight.ReportPath(_job, _context);

    /// <summary>Runs the job. Throws <see cref="JobValidationException"/> only for a refusal before anything
    /// ran (an output or report exists and may not be replaced, or a target refuses the source).</summary>
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        string reportPath = ReportPath;
        JobGraph graph = JobGraph.Start(_job, _context);
        try
        {
            JobPreflight.CheckNothingIsClobbered(_job, _context, graph.RawSinks, reportPath);
        }
        catch (JobValidationException) when (_context.OpenedSource is IExtentSource handedOver)
        {
            await handedOver.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        EvidenceReport report = StartReport(started);
        using Activity? jobSpan = PipelineTelemetry.ActivitySource.StartActivity("job");
        jobSpan?.SetTag("fpipe.job", _context.JobName);
        using var pool = new BufferPool(_job.BufferSize ?? BufferPool.DefaultBufferSize);
        JobStatus status;
        string? error = null;
        PipelineResult? result = null;
        await using (graph.ConfigureAwait(false))
        {
            bool checkingTargets = false;
            try
            {
                IExtentSource source = graph.MakeSource(_context, _components);
                graph.AddConsumers(_context, _components, HashProcessors, CostOf);
                // A source may refuse its inputs before reading (a mapfile of another source): nothing has run yet.
                checkingTargets = true;
                SourceInfo info = SizeClaim.WithWarning(await source.OpenAsync(cancellationToken).ConfigureAwait(false));
                checkingTargets = false;
                TotalBytes = info.Size;
                report.Root["source"] = DescribeSource(info);
                if (info.Warnings.Count > 0)
                {
                    report.Root["warnings"] = new JsonArray([.. info.Warnings.Select(warning => (JsonNode?)warning)]);
                }
                graph.AddStages(pool);

                checkingTargets = true;
                graph.CheckTargets(info);
                checkingTargets = false;
                if (_context.WritesReport)
                {
                    report.Reserve(reportPath, replaceEarlier: JobPreflight.MayOverwrite(_job));
                }
                await graph.OpenConsumersAsync(info, cancellationToken).ConfigureAwait(false);

                _pipeline = new ExtentPipeline(source, graph.Stages, graph.Consumers, pool);
                result = await _pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
                (status, error) = Judge(result, graph.Log);
                if (status is JobStatus.Succeeded or JobStatus.Mismatch && result.Succeeded)
                {
                    await graph.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (JobValidationException) when (checkingTargets)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                (status, error) = (JobStatus.Cancelled, "cancelled by the user");
            }
            catch (Exception exception) when (exception is ForensicPipeException or IOException or UnauthorizedAccessException)
            {
                (status, error) = (IsMismatch(exception) ? JobStatus.Mismatch : JobStatus.Failed, exception.Message);
            }
        }

        BuffersCreated = pool.Created;
        BuffersOutstanding = pool.Outstanding;
        jobSpan?.SetTag("fpipe.outcome", status.ToString().ToLowerInvariant());
        if (status != JobStatus.Succeeded)
        {
            jobSpan?.SetStatus(ActivityStatusCode.Error, error);
        }
        PipelineTelemetry.Jobs.Add(1, new KeyValuePair<string, object?>("fpipe.outcome", status.ToString().ToLowerInvariant()));
        PipelineTelemetry.JobDuration.Record(clock.Elapsed.TotalSeconds);
        var placement = new ReportPlacementRequest(_context.WritesReport, _job.Report?.Path is null && JobPreflight.FirstNamedOutput(_job) is not null,
            JobPreflight.MayOverwrite(_job), started);
        return JobReportWriter.Finish(report, reportPath, placement, graph, status, error, result, clock.Elapsed, _pipeline?.SourceAbandoned == true);
    }

    private EvidenceReport StartReport(DateTimeOffset started)
    {
        EvidenceReport report = EvidenceReport.Start(JobLoader.ToJson(_job, _components), _context.JobName, started);
        if (_job.Report?.Case is CaseSpec caseSpec)
        {
            report.Root["case"] = new JsonObject
            {
                ["number"] = caseSpec.Number,
                ["evidence"] = caseSpec.Evidence,
                ["examiner"] = caseSpec.Examiner,
                ["notes"] = caseSpec.Notes,
                ["description"] = caseSpec.Description,
            };
        }
        foreach ((string key, JsonNode? value) in _context.ReportAdditions ?? [])
        {
            report.Root[key] = value?.DeepClone();
        }
        return report;
    }

    // With a window every byte goes through two IncrementalHash instances (HashConsumer.Append).
    private double CostOf(HashConsumer hasher) => HashCost(hasher.Algorithm) * (hasher.WindowSize > 0 ? 2 : 1);

    private static bool IsMismatch(Exception exception) =>
        exception is VerificationMismatchException or ImageFormatException { IsChecksumMismatch: true };

    private static (JobStatus, string?) Judge(PipelineResult result, VerificationLog log) => result switch
    {
        { Cancelled: true } => (JobStatus.Cancelled, "cancelled by the user"),
        { Fault: Exception fault } when IsMismatch(fault) => (JobStatus.Mismatch, fault.Message),
        { Fault: ForensicPipeException or IOException or UnauthorizedAccessException } =>
            (JobStatus.Failed, result.Fault.Message),
        { Fault: not null } => (JobStatus.Failed, $"{result.FaultedBlock}: {result.Fault.GetType().Name}: {result.Fault.Message}"),
        _ when log.MismatchCount > 0 => (JobStatus.Mismatch, $"{log.MismatchCount} checksum mismatch(es); first: {log.Mismatches[0]}"),
        _ => (JobStatus.Succeeded, null),
    };

    private static JsonObject DescribeSource(SourceInfo info) => new()
    {
        ["type"] = info.Format,
        ["path"] = info.Path,
        ["size"] = info.Size,
        ["details"] = info.Details,
    };
}
