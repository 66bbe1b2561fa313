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
/// Runs one validated job: checks that nothing would be clobbered, opens the source and the sinks, runs the
/// pipeline, presents the outputs as complete only when everything succeeded, and writes the evidence
/// report and the checksum sidecars. Run-time failures end up in the result and the report; only a job
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
    public string ReportPath => _job.Report?.Path is string path
        ? _context.Resolve(path)
        : FirstFileOutput is RawFileSinkSpec raw
            ? _context.Resolve(raw.Path) + ".report.json"
            : _context.DefaultReportPath;

    // Standard output (path "-") has no name to give a report or sidecars.
    private RawFileSinkSpec? FirstFileOutput => _job.Sinks.OfType<RawFileSinkSpec>().FirstOrDefault(raw => !RawFileOutputs.IsStandardOutput(raw));

    /// <summary>Runs the job. Throws <see cref="JobValidationException"/> only for a refusal before anything
    /// ran (an output or report exists and may not be replaced).</summary>
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        bool overwrite = _job.Report?.Overwrite == true || _job.Sinks.OfType<RawFileSinkSpec>().Any(sink => sink.Overwrite);
        string[] algorithms = [.. _job.Stages.OfType<HashStageSpec>().SelectMany(hash => hash.Algorithms)];
        List<IRawFileOutput> rawSinks = [.. _job.Sinks.OfType<RawFileSinkSpec>().Where(spec => !RawFileOutputs.IsStandardOutput(spec))
            .Select(spec => RawFileOutputs.Create(spec, _context.Resolve(spec.Path), algorithms))];
        string reportPath = ReportPath;
        CheckNothingIsClobbered(rawSinks, reportPath, overwrite);

        DateTimeOffset started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        EvidenceReport report = EvidenceReport.Start(JobLoader.ToJson(_job), _context.JobName, started);
        if (_job.Report?.Case is CaseSpec caseSpec)
        {
            report.Root["case"] = new JsonObject
            {
                ["number"] = caseSpec.Number,
                ["evidence"] = caseSpec.Evidence,
                ["examiner"] = caseSpec.Examiner,
                ["description"] = caseSpec.Description,
                ["notes"] = caseSpec.Notes,
            };
        }

        foreach ((string key, JsonNode? value) in _context.ReportAdditions ?? [])
        {
            report.Root[key] = value?.DeepClone();
        }

        using Activity? jobSpan = PipelineTelemetry.ActivitySource.StartActivity("job");
        jobSpan?.SetTag("fpipe.job", _context.JobName);
        using var pool = new BufferPool(_job.BufferSize ?? BufferPool.DefaultBufferSize);
        var log = new VerificationLog();
        var stages = new List<IExtentStage>();
        var consumers = new List<IExtentConsumer>(rawSinks);
        consumers.AddRange(_job.Sinks.OfType<RawFileSinkSpec>().Where(RawFileOutputs.IsStandardOutput).Select(_ => RawFileOutputs.CreateStandardOutput()));
        var hashers = new List<HashConsumer>();
        IReadOnlyList<IReadOnlyList<HashConsumer>> hashThreads = [];
        IExtentSource? source = null;
        bool checkingTargets = false;
        JobStatus status;
        string? error = null;
        PipelineResult? result = null;
        try
        {
            source = _components.CreateSource(_job.Source, _context);
            consumers.AddRange(_job.Sinks.OfType<NullSinkSpec>().Select(_ => new NullSink()));
            for (int i = 0; i < _job.Sinks.Count; i++)
            {
                if (_job.Sinks[i] is not RawFileSinkSpec and not NullSinkSpec)
                {
                    consumers.Add(_components.CreateSink(_job.Sinks[i], _context, i));
                }
            }
            foreach (HashStageSpec hash in _job.Stages.OfType<HashStageSpec>())
            {
                hashers.AddRange(hash.Algorithms.Select(name => new HashConsumer(name, hash.Window ?? 0)));
            }
            hashThreads = HashThreadPlan.Group(hashers, HashProcessors, CostOf);
            consumers.AddRange(hashThreads.Select(group => group.Count == 1 ? group[0] : (IExtentConsumer)new HashGroupConsumer(group)));

            SourceInfo info = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            TotalBytes = info.Size;
            report.Root["source"] = DescribeSource(info);
            if (info.Warnings.Count > 0)
            {
                report.Root["warnings"] = new JsonArray([.. info.Warnings.Select(warning => (JsonNode?)warning)]);
            }
            stages.AddRange(CreateStages(source, pool, log));

            // Targets that need the source's size or identity are judged before any output is opened, so a
            // refusal writes nothing.
            checkingTargets = true;
            foreach (ITargetCheck check in consumers.OfType<ITargetCheck>())
            {
                check.CheckTarget(info);
            }
            checkingTargets = false;
            foreach (IExtentConsumer consumer in consumers)
            {
                await consumer.OpenAsync(info, cancellationToken).ConfigureAwait(false);
            }

            _pipeline = new ExtentPipeline(source, stages, consumers, pool);
            result = await _pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
            (status, error) = Judge(result, log);
            if (status is JobStatus.Succeeded or JobStatus.Mismatch && result.Succeeded)
            {
                foreach (IExtentConsumer consumer in consumers)
                {
                    await consumer.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
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
        finally
        {
            foreach (IExtentConsumer consumer in consumers)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
            // Hashers join the consumers (and are disposed with them) once the thread plan is made.
            if (hashThreads.Count == 0)
            {
                foreach (HashConsumer hasher in hashers)
                {
                    await hasher.DisposeAsync().ConfigureAwait(false);
                }
            }
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
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

        Finish(report, status, error, result, source, stages, consumers, hashers, hashThreads, log, clock.Elapsed, _pipeline?.SourceAbandoned == true);
        var sidecars = new List<string>();
        Dictionary<string, string> digests = hashers.Where(h => h.Digest is not null).ToDictionary(h => h.Algorithm, h => h.Digest!);
        foreach (IRawFileOutput sink in rawSinks.Where(sink => sink.Committed))
        {
            sidecars.AddRange(sink.WriteSidecars(digests));
        }
        report.Root["sidecars"] = new JsonArray([.. sidecars.Select(path => (JsonNode?)path)]);
        if (!_context.WritesReport)
        {
            return new JobResult(status, error, "", "", report, digests) { ReportSaved = false };
        }
        // A report named after the output follows it (OUT.partial.report.json until renamed); an earlier record
        // is never replaced without overwrite (ReportPlacement).
        reportPath = ReportPlacement.Choose(reportPath, _job.Report?.Path is null && FirstFileOutput is not null,
            rawSinks.Count > 0 && rawSinks[0].Committed, overwrite, started);
        string textReport = report.Save(reportPath);
        return new JobResult(status, error, reportPath, textReport, report, digests);
    }

    // With a window every byte goes through two IncrementalHash instances (HashConsumer.Append).
    private double CostOf(HashConsumer hasher) => HashCost(hasher.Algorithm) * (hasher.WindowSize > 0 ? 2 : 1);

    private void CheckNothingIsClobbered(List<IRawFileOutput> rawSinks, string reportPath, bool overwrite)
    {
        foreach (IRawFileOutput sink in rawSinks)
        {
            sink.CheckTarget();
        }
        if (_job.Source is DeviceSourceSpec { Mapfile: string mapfile } && !overwrite && File.Exists(_context.Resolve(mapfile)))
        {
            throw new JobValidationException(_context.JobName, "$.source.mapfile",
                $"the mapfile {_context.Resolve(mapfile)} exists; set \"overwrite\": true on the report or the raw-file sink (or --overwrite) to replace it");
        }
        string? directory = Path.GetDirectoryName(reportPath);
        if (_context.WritesReport && !string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new JobValidationException(_context.JobName, "$.report.path", $"the folder {directory} does not exist");
        }
    }

    private IEnumerable<IExtentStage> CreateStages(IExtentSource source, BufferPool pool, VerificationLog log)
    {
        foreach (StageSpec spec in _job.Stages)
        {
            switch (spec)
            {
                case VerifyStageSpec verify:
                    IImageVerifier verifier = source.Verifier
                        ?? throw new ForensicPipeException("the source has no checksums of its own to verify");
                    yield return new VerifyStage(verifier, verify.OnMismatch, log);
                    break;
                case FillStageSpec fill:
                    yield return new FillStage(FillPattern.TryParse(fill.Pattern, out _)!, pool);
                    break;
            }
        }
    }

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

    private static void Finish(EvidenceReport report, JobStatus status, string? error, PipelineResult? result,
        IExtentSource? source, List<IExtentStage> stages, List<IExtentConsumer> consumers, List<HashConsumer> hashers,
        IReadOnlyList<IReadOnlyList<HashConsumer>> hashThreads, VerificationLog log, TimeSpan elapsed, bool abandonedRead)
    {
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
        if (root["source"] is JsonObject sourceSection && source is not null)
        {
            sourceSection["bytesRead"] = source.BytesRead;
            if (abandonedRead)
            {
                sourceSection["readAbandoned"] = "the job ended while a read of the source was still blocked";
            }
            if (source.DescribeAfterRun() is JsonObject after)
            {
                sourceSection["afterRun"] = after;
            }
        }
        if (result is not null)
        {
            root["stream"] = new JsonObject
            {
                ["bytes"] = result.PartitionBytes,
                ["dataBytes"] = result.DataBytes,
                ["absentBytes"] = result.AbsentBytes,
                ["unreadableBytes"] = result.UnreadableBytes,
                ["fill"] = stages.OfType<FillStage>().FirstOrDefault() is FillStage fill
                    ? fill.PatternName
                    : "none: absent and unreadable ranges are zeros in raw-file outputs (holes when sparse) and in the digests",
                ["extents"] = result.Extents,
                ["throughputBytesPerSecond"] = elapsed.TotalSeconds > 0 ? Math.Round(result.PartitionBytes / elapsed.TotalSeconds) : 0,
            };
        }
        root["stages"] = new JsonArray([.. stages.Select(stage => (JsonNode?)new JsonObject
        {
            ["type"] = stage.Name,
            ["details"] = stage.Describe(),
        })]);
        root["sinks"] = new JsonArray([.. consumers.Where(c => c is not HashConsumer and not HashGroupConsumer).Select(sink => (JsonNode?)new JsonObject
        {
            ["type"] = sink.Name,
            ["details"] = sink.Describe(),
        })]);
        JsonArray incomplete = [.. consumers.Select(c => c.Describe()).Where(d => d["targetIncomplete"] is not null)
            .Select(d => (JsonNode?)$"{d["path"]}: {d["targetIncomplete"]}")];
        if (incomplete.Count > 0)
        {
            root["incompleteTargets"] = incomplete;
        }
        root["hashes"] = new JsonArray([.. hashers.Select(hasher => (JsonNode?)hasher.Describe())]);
        if (hashThreads.Count > 0)
        {
            root["hashThreads"] = new JsonArray([.. hashThreads.Select(group =>
                (JsonNode?)new JsonArray([.. group.Select(hasher => (JsonNode?)hasher.Algorithm)]))]);
        }
        if (stages.OfType<VerifyStage>().FirstOrDefault() is VerifyStage verify)
        {
            root["verification"] = new JsonObject
            {
                ["method"] = verify.Method,
                ["checked"] = log.Checked,
                ["mismatches"] = log.MismatchCount,
                ["passed"] = log.MismatchCount == 0 && status is JobStatus.Succeeded,
                ["mismatchList"] = new JsonArray([.. log.Mismatches.Select(m => (JsonNode?)m.ToString())]),
            };
        }
    }
}
