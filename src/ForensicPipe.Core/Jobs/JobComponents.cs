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
    private readonly Dictionary<Type, Func<SourceSpec, string, IExtentSource>> _sources = [];

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
        _sources[typeof(TSpec)] = (spec, path) => create((TSpec)spec, path);
        return this;
    }

    internal IExtentSource CreateSource(SourceSpec spec, string resolvedPath) =>
        _sources.TryGetValue(spec.GetType(), out Func<SourceSpec, string, IExtentSource>? create)
            ? create(spec, resolvedPath)
            : throw new Errors.JobValidationException("(job)", "$.source.type",
                $"no reader for source type {spec.GetType().Name} is available in this build");
}
