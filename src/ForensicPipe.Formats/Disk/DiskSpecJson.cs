using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Disk;

/// <summary>JSON metadata of <see cref="DiskSourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DiskSourceSpec))]
internal sealed partial class DiskSpecJson : JsonSerializerContext;
