using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sources;

namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>A source kind that Core does not know, added the way image formats add theirs: type <c>toy</c>,
/// a spec with one field of its own, read as a raw file.</summary>
internal sealed class ToySourceKind : SourceKind
{
    public override string Type => "toy";

    public override Type SpecType => typeof(ToySourceSpec);

    public override IJsonTypeInfoResolver SpecResolver => ToySpecJson.Default;

    public override IExtentSource CreateSource(SourceSpec spec, JobContext context) => new FileSource(context.Resolve(spec.Path));

    /// <summary>Core's components plus this kind.</summary>
    public static JobComponents Components() => new JobComponents().AddSource(new ToySourceKind());
}

/// <summary>The toy source's spec.</summary>
public sealed class ToySourceSpec : SourceSpec
{
    /// <summary>A field of its own.</summary>
    public int? Level { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ToySourceSpec))]
internal sealed partial class ToySpecJson : JsonSerializerContext;
