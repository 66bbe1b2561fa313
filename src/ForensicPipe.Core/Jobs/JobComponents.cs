using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sources;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Makes sources and sinks from their specs. Core knows the raw file source and the raw-file and null
/// sinks; format readers and devices register theirs (<c>ForensicPipe.Formats</c>, <c>ForensicPipe.Devices</c>),
/// so the runtime does not depend on them. Source kinds added with <see cref="AddSource"/> also become
/// known to job loading and the JSON Schema through <see cref="JsonOptions"/>.
/// </summary>
public sealed class JobComponents
{
    private readonly Dictionary<Type, Func<SourceSpec, JobContext, IExtentSource>> _sources = [];
    private readonly Dictionary<Type, Func<SinkSpec, JobContext, string, IExtentConsumer>> _sinks = [];
    private readonly List<SourceKind> _kinds = [];
    private JsonSerializerOptions? _jsonOptions;

    /// <summary>A registry that knows the raw file source.</summary>
    public JobComponents()
    {
        RegisterSource<FileSourceSpec>((_, path) => new FileSource(path));
    }

    /// <summary>The source kinds added with <see cref="AddSource"/>, in the order they were added.</summary>
    public IReadOnlyList<SourceKind> SourceKinds => _kinds;

    /// <summary>The JSON contract of job files: the built-in specs plus the spec of every added source kind.</summary>
    public JsonSerializerOptions JsonOptions => _jsonOptions ??= CreateJsonOptions(_kinds);

    /// <summary>Adds a source kind: jobs may name its <see cref="SourceKind.Type"/>, and its specs make
    /// sources through <see cref="SourceKind.CreateSource"/>.</summary>
    public JobComponents AddSource(SourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!kind.SpecType.IsSubclassOf(typeof(SourceSpec)))
        {
            throw new ArgumentException($"{kind.SpecType.Name} does not derive from {nameof(SourceSpec)}", nameof(kind));
        }
        if (_kinds.Any(known => known.Type == kind.Type || known.SpecType == kind.SpecType))
        {
            throw new ArgumentException($"a source of type '{kind.Type}' is registered already", nameof(kind));
        }
        _kinds.Add(kind);
        _sources[kind.SpecType] = kind.CreateSource;
        _jsonOptions = null;
        return this;
    }

    /// <summary>The built-in job contract extended by the specs of <paramref name="kinds"/>: each becomes a
    /// derived type of <see cref="SourceSpec"/> with its <c>"type"</c>, and rejects unknown fields like the
    /// built-in specs.</summary>
    internal static JsonSerializerOptions CreateJsonOptions(IReadOnlyList<SourceKind> kinds)
    {
        if (kinds.Count == 0)
        {
            return JobJsonContext.Default.Options;
        }
        IJsonTypeInfoResolver resolver = JsonTypeInfoResolver
            .Combine([JobJsonContext.Default, .. kinds.Select(kind => kind.SpecResolver)])
            .WithAddedModifier(typeInfo =>
            {
                if (typeInfo.Type == typeof(SourceSpec) && typeInfo.PolymorphismOptions is JsonPolymorphismOptions polymorphism)
                {
                    foreach (SourceKind kind in kinds)
                    {
                        polymorphism.DerivedTypes.Add(new JsonDerivedType(kind.SpecType, kind.Type));
                    }
                }
                else if (typeInfo.Type.IsSubclassOf(typeof(SourceSpec)))
                {
                    typeInfo.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                }
            });
        var options = new JsonSerializerOptions(JobJsonContext.Default.Options) { TypeInfoResolver = resolver };
        options.MakeReadOnly();
        return options;
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
