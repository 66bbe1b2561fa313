using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>JSON metadata of <see cref="NtfscloneSourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NtfscloneSourceSpec))]
internal sealed partial class NtfscloneSpecJson : JsonSerializerContext;
