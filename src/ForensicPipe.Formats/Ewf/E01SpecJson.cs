using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Ewf;

/// <summary>JSON metadata of <see cref="E01SourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(E01SourceSpec))]
internal sealed partial class E01SpecJson : JsonSerializerContext;
