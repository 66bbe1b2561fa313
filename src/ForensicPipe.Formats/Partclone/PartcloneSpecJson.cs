using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Partclone;

/// <summary>JSON metadata of <see cref="PartcloneSourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PartcloneSourceSpec))]
internal sealed partial class PartcloneSpecJson : JsonSerializerContext;
