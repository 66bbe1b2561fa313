using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForensicPipe.Core.Reporting;

/// <summary>
/// The evidence report of one run: one JSON document (tool, host, the job as run, case, times, source,
/// stages, sinks, digests, verification, outcome) and a text rendering of it. Built as a JSON tree so
/// every component can contribute its own section without the report knowing its shape.
/// </summary>
public sealed partial class EvidenceReport
{
    /// <summary>The document; sections are filled in as the job runs.</summary>
    public JsonObject Root { get; } = new();

    /// <summary>Starts a report with the tool and host sections.</summary>
    public static EvidenceReport Start(JsonNode job, string jobName, DateTimeOffset startedUtc)
    {
        var report = new EvidenceReport();
        Assembly assembly = typeof(EvidenceReport).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        report.Root["reportFormat"] = "forensicpipe-report/1";
        // The SDK appends "+COMMIT" (SourceRevisionId, read from .git at build time); a build from a tree
        // without .git has no commit.
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        report.Root["tool"] = new JsonObject
        {
            ["name"] = "ForensicPipe",
            ["version"] = plus < 0 ? version : version[..plus],
            ["commit"] = plus < 0 ? "unknown" : version[(plus + 1)..],
        };
        report.Root["host"] = new JsonObject
        {
            ["name"] = Environment.MachineName,
            ["user"] = Environment.UserName,
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["processors"] = Environment.ProcessorCount,
        };
        // The first argument is the program's path (fpipe.dll under the JIT host, the binary under AOT); the
        // command is fpipe either way.
        report.Root["commandLine"] = new JsonArray(["fpipe", .. Environment.GetCommandLineArgs().Skip(1).Select(arg => (JsonNode?)arg)]);
        report.Root["jobName"] = jobName;
        report.Root["job"] = job;
        report.Root["startedUtc"] = startedUtc.UtcDateTime.ToString("O");
        return report;
    }

    /// <summary>Writes the JSON and its text rendering (same name, <c>.txt</c>) via temporary files, so a
    /// report on disk is always whole; the text is renamed first and the JSON last, so a JSON report under its
    /// name means both are complete. Space reserved by <see cref="Reserve"/> is used. Returns the text
    /// report's path.</summary>
    public string Save(string jsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        string textPath = TextPathFor(jsonPath);
        string json = Root.ToJsonString(ReadableJson.Options) + "\n";
        WriteAtomically(textPath, ReportTextRenderer.Render(Root));
        WriteAtomically(jsonPath, json);
        return textPath;
    }

    /// <summary>The text rendering's path for a JSON report path.</summary>
    public static string TextPathFor(string jsonPath) =>
        jsonPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? jsonPath[..^5] + ".txt" : jsonPath + ".txt";

    /// <summary>Writes into <c>PATH.partial</c> (keeping blocks it holds from <see cref="Reserve"/>), cuts it
    /// to the text's length, fsyncs, renames, and fsyncs the folder.</summary>
    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + PartialSuffix;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        using (Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(temporary, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.SetLength(handle, bytes.Length);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temporary, path, overwrite: true);
        IO.DurableFile.SyncFolderOf(path);
    }
}
