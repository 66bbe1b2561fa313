using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sources;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Makes sources from their specs. Core knows the raw file; format readers and devices register theirs
/// (<c>ForensicPipe.Formats</c>, <c>ForensicPipe.Devices</c>), so the runtime does not depend on them.
/// </summary>
public sealed class JobComponents
{
    private readonly Dictionary<Type, Func<SourceSpec, JobContext, IExtentSource>> _sources = [];

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

    internal IExtentSource CreateSource(SourceSpec spec, JobContext context) =>
        _sources.TryGetValue(spec.GetType(), out Func<SourceSpec, JobContext, IExtentSource>? create)
            ? create(spec, context)
            : throw new Errors.JobValidationException("(job)", "$.source.type",
                $"no reader for source type {spec.GetType().Name} is available in this build");
}
