using System.Text.Json.Serialization;

namespace ForensicPipe.Cli.Tests.ToyFormat;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ToySourceSpec))]
internal sealed partial class ToySpecJson : JsonSerializerContext;
