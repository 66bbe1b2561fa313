using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>JSON metadata of <see cref="ClonezillaSourceSpec"/> for job files (camelCase, as the job contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ClonezillaSourceSpec))]
internal sealed partial class ClonezillaSpecJson : JsonSerializerContext;
