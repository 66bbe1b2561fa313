using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// A kind of job source that is not built into the job contract: its <c>"type"</c> in job files, the class
/// of its spec and the JSON metadata of that class, and how to make the source. Image formats describe
/// themselves this way (<c>ForensicPipe.Formats.ImageFormat</c>); <see cref="JobComponents.AddSource"/> makes
/// a kind known to job loading, the JSON Schema and job runs at once.
/// </summary>
public abstract class SourceKind
{
    /// <summary>The <c>"type"</c> of the source in job files.</summary>
    public abstract string Type { get; }

    /// <summary>The spec class of this kind; derives from <see cref="SourceSpec"/>.</summary>
    public abstract Type SpecType { get; }

    /// <summary>JSON metadata of <see cref="SpecType"/> (a source-generated context, so that job files load
    /// without reflection).</summary>
    public abstract IJsonTypeInfoResolver SpecResolver { get; }

    /// <summary>Makes the source of <paramref name="spec"/> (an instance of <see cref="SpecType"/>); paths
    /// are resolved with <see cref="JobContext.Resolve"/>.</summary>
    public abstract IExtentSource CreateSource(SourceSpec spec, JobContext context);
}
