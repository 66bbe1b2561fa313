using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Partimage;

/// <summary>JSON metadata of <see cref="PartimageSourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PartimageSourceSpec))]
internal sealed partial class PartimageSpecJson : JsonSerializerContext;
