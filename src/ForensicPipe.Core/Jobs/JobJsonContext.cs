using System.Text.Json.Serialization;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Core.Jobs;

/// <summary>Source-generated JSON metadata for job files: camelCase names, unknown fields rejected,
/// <c>"type"</c> anywhere in an object, enums as camelCase strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowOutOfOrderMetadataProperties = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobSpec))]
internal sealed partial class JobJsonContext : JsonSerializerContext;
