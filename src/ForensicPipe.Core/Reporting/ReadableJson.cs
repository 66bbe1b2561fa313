using System.Text.Encodings.Web;
using System.Text.Json;

namespace ForensicPipe.Core.Reporting;

/// <summary>How every JSON document meant for people is written (reports, the job schema, <c>fpipe info
/// --json</c>): indented, and without \u escapes for quotes and non-ASCII text.</summary>
public static class ReadableJson
{
    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
