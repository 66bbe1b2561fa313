using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// The parts of one job's pipeline, made from its spec: the source, the stages, the sinks and the hashers
/// (grouped onto threads when they outnumber the processors). Built step by step, because the stages need
/// the opened source and the sinks judge their targets by it; disposing releases whatever was made, also
/// after a failure half-way.
/// </summary>
internal sealed class JobGraph : IAsyncDisposable
{
    private readonly JobSpec _job;
    private readonly List<IExtentConsumer> _consumers = [];
    private readonly List<HashConsumer> _hashers = [];
    private readonly List<IExtentStage> _stages = [];
    private IReadOnlyList<IReadOnlyList<HashConsumer>> _hashThreads = [];

    private JobGraph(JobSpec job, IReadOnlyList<IRawFileOutput> rawSinks)
    {
        _job = job;
        RawSinks = rawSinks;
        _consumers.AddRange(rawSinks);
        // Standard output (path "-") has no name to check or give sidecars; it is a consumer like the others.
        _consumers.AddRange(job.Sinks.OfType<RawFileSinkSpec>().Where(RawFileOutputs.IsStandardOutput).Select(_ => RawFileOutputs.CreateStandardOutput()));
    }

    /// <summary>The raw-file outputs (plain or split; not standard output), made first: the preflight checks
    /// their targets before anything runs.</summary>
    public IReadOnlyList<IRawFileOutput> RawSinks { get; }

    /// <summary>The source, once made.</summary>
    public IExtentSource? Source { get; private set; }

    /// <summary>What the source said when it was opened (size, format details, warnings), once opened.</summary>
    public SourceInfo? Info { get; private set; }

    /// <summary>The stages in job order (after <see cref="AddStages"/>).</summary>
    public IReadOnlyList<IExtentStage> Stages => _stages;

    /// <summary>Every consumer behind the fan-out: sinks, then hashers or hash groups.</summary>
    public IReadOnlyList<IExtentConsumer> Consumers => _consumers;

    /// <summary>The hashers, one per algorithm, in job order.</summary>
    public IReadOnlyList<HashConsumer> Hashers => _hashers;

    /// <summary>The hashers sharing each thread (empty until <see cref="AddConsumers"/> ran).</summary>
    public IReadOnlyList<IReadOnlyList<HashConsumer>> HashThreads => _hashThreads;

    /// <summary>The checksum results of the verify stage.</summary>
    public VerificationLog Log { get; } = new();

    /// <summary>Starts the graph of <paramref name="job"/> with its raw-file sinks (not yet opened).</summary>
    public static JobGraph Start(JobSpec job, JobContext context)
    {
        string[] algorithms = [.. job.Stages.OfType<HashStageSpec>().SelectMany(hash => hash.Algorithms)];
        return new(job, [.. job.Sinks.OfType<RawFileSinkSpec>().Where(spec => !RawFileOutputs.IsStandardOutput(spec))
            .Select(spec => RawFileOutputs.Create(spec, context.Resolve(spec.Path), algorithms))]);
    }

    /// <summary>Makes the source: the one handed over in the context, else from the spec. A source that records
    /// its progress (a device with a mapfile) is bound to the first raw-file output, which a resumed run continues.</summary>
    public IExtentSource MakeSource(JobContext context, JobComponents components)
    {
        Source = context.OpenedSource ?? components.CreateSource(_job.Source, context);
        if (Source is IResumableSource resumable && RawSinks.Count > 0 && RawSinks[0].Resumable is IResumableOutput output)
        {
            resumable.BindOutput(output);
        }
        return Source;
    }

    /// <summary>Makes the other sinks and the hashers; hashers share threads when they outnumber
    /// <paramref name="processors"/> (<see cref="HashThreadPlan"/>).</summary>
    public void AddConsumers(JobContext context, JobComponents components, int processors, Func<HashConsumer, double> costOf)
    {
        _consumers.AddRange(_job.Sinks.OfType<NullSinkSpec>().Select(_ => new NullSink()));
        for (int i = 0; i < _job.Sinks.Count; i++)
        {
            if (_job.Sinks[i] is not RawFileSinkSpec and not NullSinkSpec)
            {
                // Sinks that store the case metadata (e01) find report.case in their context.
                _consumers.Add(components.CreateSink(_job.Sinks[i], context with { Case = _job.Report?.Case }, i));
            }
        }
        foreach (HashStageSpec hash in _job.Stages.OfType<HashStageSpec>())
        {
            // A sink that hashes the stream itself (e01: MD5, SHA-1) lends its digest instead of a second pass.
            _hashers.AddRange(hash.Algorithms.Select(name => new HashConsumer(name, hash.Window ?? 0)
            {
                SharedFrom = (hash.Window ?? 0) == 0 ? _consumers.OfType<IDigestSource>().FirstOrDefault(sink => sink.Computes(name)) : null,
            }));
        }
        _hashThreads = HashThreadPlan.Group(_hashers, processors, costOf);
        _consumers.AddRange(_hashThreads.Select(group => group.Count == 1 ? group[0] : (IExtentConsumer)new HashGroupConsumer(group)));
    }

    /// <summary>Makes the verify and fill stages, in job order; the verify stage checks the source's own checksums.</summary>
    public void AddStages(BufferPool pool)
    {
        IExtentSource source = Source ?? throw new InvalidOperationException("The source is made before the stages.");
        foreach (StageSpec spec in _job.Stages)
        {
            switch (spec)
            {
                case VerifyStageSpec verify:
                    IImageVerifier verifier = source.Verifier
                        ?? throw new ForensicPipeException("the source has no checksums of its own to verify");
                    _stages.Add(new VerifyStage(verifier, verify.OnMismatch, Log));
                    break;
                case FillStageSpec fill:
                    _stages.Add(new FillStage(FillPattern.TryParse(fill.Pattern, out _)!, pool));
                    break;
            }
        }
    }

    /// <summary>Lets sinks that need the source's size or identity refuse it (<see cref="ITargetCheck"/>: too
    /// small, not enough free space) before any output is opened.</summary>
    public void CheckTargets(SourceInfo info)
    {
        Info = info;
        foreach (ITargetCheck check in _consumers.OfType<ITargetCheck>())
        {
            check.CheckTarget(info);
        }
    }

    /// <summary>Opens every consumer (after <see cref="CheckTargets"/>).</summary>
    public async ValueTask OpenConsumersAsync(SourceInfo info, CancellationToken cancellationToken)
    {
        foreach (IExtentConsumer consumer in _consumers)
        {
            await consumer.OpenAsync(info, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Presents every output as complete (the whole job succeeded).</summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        foreach (IExtentConsumer consumer in _consumers)
        {
            await consumer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (IExtentConsumer consumer in _consumers)
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }
        // Hashers join the consumers (and are disposed with them) once the thread plan is made.
        if (_hashThreads.Count == 0)
        {
            foreach (HashConsumer hasher in _hashers)
            {
                await hasher.DisposeAsync().ConfigureAwait(false);
            }
        }
        if (Source is not null)
        {
            await Source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
