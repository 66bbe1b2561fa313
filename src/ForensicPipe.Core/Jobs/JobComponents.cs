using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sources;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Makes sources and sinks from their specs. Core knows the raw file source and the raw-file and null
/// sinks; format readers and devices register theirs (<c>ForensicPipe.Formats</c>, <c>ForensicPipe.Devices</c>),
/// so the runtime does not depend on them.
/// </summary>
public sealed class JobComponents
{
    private readonly Dictionary<Type, Func<SourceSpec, JobContext, IExtentSource>> _sources = [];
    private readonly Dictionary<Type, Func<SinkSpec, JobContext, string, IExtentConsumer>> _sinks = [];

    /// <summary>A registry that knows the raw file source.</summary>
    public JobComponents()
    {
        RegisterSource<FileSourceSpec>((_, path) => new FileSource(path));
    }

    /// <summary>Registers how to make a source from a <typeparamref name="TSpec"/>; the second argument of
    /// <paramref name="create"/> is the spec's path resolved against the job file's folder.</summary>
    public JobComponents RegisterSource<TSpec>(Func<TSpec, string, IExtentSource> create) where TSpec : SourceSpec
    {
        ArgumentNullException.ThrowIfNull(create);
        _sources[typeof(TSpec)] = (spec, context) => create((TSpec)spec, context.Resolve(spec.Path));
        return this;
    }

    /// <summary>Registers how to make a source from a <typeparamref name="TSpec"/> that names more files than
    /// its path (a mapfile): <paramref name="create"/> resolves them with <see cref="JobContext.Resolve"/>.</summary>
    public JobComponents RegisterSourceWithContext<TSpec>(Func<TSpec, JobContext, IExtentSource> create) where TSpec : SourceSpec
    {
        ArgumentNullException.ThrowIfNull(create);
        _sources[typeof(TSpec)] = (spec, context) => create((TSpec)spec, context);
        return this;
    }

    /// <summary>Registers how to make a sink from a <typeparamref name="TSpec"/>; <paramref name="create"/>
    /// resolves paths with <see cref="JobContext.Resolve"/>; its third argument is the sink's JSON path in
    /// the job (<c>$.sinks[1]</c>), for refusals.</summary>
    public JobComponents RegisterSink<TSpec>(Func<TSpec, JobContext, string, IExtentConsumer> create) where TSpec : SinkSpec
    {
        ArgumentNullException.ThrowIfNull(create);
        _sinks[typeof(TSpec)] = (spec, context, at) => create((TSpec)spec, context, at);
        return this;
    }

    internal IExtentConsumer CreateSink(SinkSpec spec, JobContext context, int index) =>
        _sinks.TryGetValue(spec.GetType(), out Func<SinkSpec, JobContext, string, IExtentConsumer>? create)
            ? create(spec, context, $"$.sinks[{index}]")
            : throw new Errors.JobValidationException(context.JobName, $"$.sinks[{index}].type",
                $"no sink for type {spec.GetType().Name} is available in this build");

    internal IExtentSource CreateSource(SourceSpec spec, JobContext context) =>
        _sources.TryGetValue(spec.GetType(), out Func<SourceSpec, JobContext, IExtentSource>? create)
            ? create(spec, context)
            : throw new Errors.JobValidationException("(job)", "$.source.type",
                $"no reader for source type {spec.GetType().Name} is available in this build");
}
