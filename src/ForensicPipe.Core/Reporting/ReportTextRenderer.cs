using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForensicPipe.Core.Reporting;

/// <summary>
/// Renders the JSON report as indented text for people: the outcome and digests first, then every
/// section as it stands in the JSON, so the two never disagree.
/// </summary>
public static class ReportTextRenderer
{
    private static readonly JsonSerializerOptions s_compact = new() { WriteIndented = false };

    /// <summary>Renders <paramref name="root"/>.</summary>
    public static string Render(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.AppendLine("ForensicPipe evidence report");
        text.AppendLine("============================");
        text.AppendLine($"Outcome:   {root["outcome"]}");
        if (root["error"] is JsonNode error)
        {
            text.AppendLine($"Error:     {error}");
        }
        text.AppendLine($"Started:   {root["startedUtc"]}");
        text.AppendLine($"Ended:     {root["endedUtc"]}");
        if (root["hashes"] is JsonArray hashes)
        {
            text.AppendLine();
            text.AppendLine("Digests of the reconstructed stream:");
            foreach (JsonNode? hash in hashes)
            {
                text.AppendLine($"  {hash?["algorithm"],-7} {hash?["digest"]}  ({hash?["bytes"]} bytes)");
            }
            if (root["hashThreads"] is JsonArray { Count: > 0 } threads)
            {
                text.AppendLine($"  threads: {string.Join(" | ", threads.Select(thread =>
                    string.Join('+', thread?.AsArray().Select(algorithm => algorithm?.ToString()) ?? [])))}");
            }
        }
        text.AppendLine();
        foreach ((string key, JsonNode? value) in root)
        {
            if (key is "outcome" or "error" or "startedUtc" or "endedUtc" or "job")
            {
                continue;
            }
            Write(text, key, value, 0);
        }
        text.AppendLine("job (as run):");
        text.AppendLine("  " + root["job"]?.ToJsonString(s_compact));
        return text.ToString();
    }

    /// <summary>Renders any JSON object as indented <c>key: value</c> lines (for <c>fpipe info</c>).</summary>
    public static string RenderObject(JsonObject section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var text = new StringBuilder();
        foreach ((string key, JsonNode? value) in section)
        {
            Write(text, key, value, 0);
        }
        return text.ToString();
    }

    private static void Write(StringBuilder text, string key, JsonNode? value, int depth)
    {
        string indent = new(' ', depth * 2);
        switch (value)
        {
            case JsonObject section:
                text.AppendLine($"{indent}{key}:");
                foreach ((string childKey, JsonNode? child) in section)
                {
                    Write(text, childKey, child, depth + 1);
                }
                break;
            case JsonArray { Count: 0 }:
                text.AppendLine($"{indent}{key}: (none)");
                break;
            case JsonArray list when list.All(item => item is JsonValue):
                text.AppendLine($"{indent}{key}: {string.Join(" ", list.Select(item => item?.ToString()))}");
                break;
            case JsonArray list:
                text.AppendLine($"{indent}{key}: ({list.Count})");
                for (int i = 0; i < list.Count; i++)
                {
                    Write(text, $"[{i}]", list[i], depth + 1);
                }
                break;
            default:
                text.AppendLine($"{indent}{key}: {value?.ToString() ?? "-"}");
                break;
        }
    }
}
