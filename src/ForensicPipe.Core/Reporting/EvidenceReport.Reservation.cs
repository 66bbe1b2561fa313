using System.Globalization;
using System.Text.Json.Nodes;
using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Reporting;

public sealed partial class EvidenceReport
{
    /// <summary>Suffix of a report being written; a report under its final name is always complete.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Space reserved for each of the JSON and the text report before the job runs (4 MiB: about
    /// 25,000 bad-sector ranges or mismatches), so that an output that fills the file system cannot take
    /// the report's room; a report that outgrows it is still tried there first.</summary>
    public const long ReservedBytes = 4L << 20;

    // Tried when the file system has not room for ReservedBytes.
    private const long SmallReservation = 256L << 10;

    /// <summary>Before anything is written: removes a previous report under <paramref name="jsonPath"/> when
    /// <paramref name="replaceEarlier"/> (the job may overwrite; otherwise the earlier record keeps its name and
    /// this run's report gets another, <see cref="ReportPlacement"/>), and creates <c>.partial</c> files for the JSON and text reports that say the job has not
    /// finished (what remains after a kill) with <see cref="ReservedBytes"/> allocated in each. Returns the
    /// bytes reserved; failures to reserve are not errors (<see cref="SaveOrFallBack"/> copes).</summary>
    public long Reserve(string jsonPath, bool replaceEarlier)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        long reserved = 0;
        JsonObject running = (JsonObject)Root.DeepClone();
        running["outcome"] = "running";
        running["complete"] = false;
        running["error"] = "the job has not finished: if this file remains under this name, the job was interrupted (killed, or the machine stopped)";
        foreach ((string path, string text) in (ReadOnlySpan<(string, string)>)[
            (jsonPath, running.ToJsonString(ReadableJson.Options) + "\n"),
            (TextPathFor(jsonPath), ReportTextRenderer.Render(running))])
        {
            try
            {
                if (replaceEarlier && File.Exists(path))
                {
                    File.Delete(path);
                }
                using SafeFileHandle handle = File.OpenHandle(path + PartialSuffix, FileMode.Create, FileAccess.Write, FileShare.Read);
                RandomAccess.Write(handle, System.Text.Encoding.UTF8.GetBytes(text), 0);
                if (FreeSpace.TryReserve(handle, ReservedBytes))
                {
                    reserved += ReservedBytes;
                }
                else if (FreeSpace.TryReserve(handle, SmallReservation))
                {
                    reserved += SmallReservation;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Nothing reserved here: the report is still written at the end, or in the fallback folder.
            }
        }
        DurableFile.SyncFolderOf(jsonPath);
        return reserved;
    }

    /// <summary>Removes the <c>.partial</c> files <see cref="Reserve"/> made under <paramref name="jsonPath"/>, when the
    /// report is saved under another name or not at all.</summary>
    public static void ReleaseReservation(string jsonPath)
    {
        foreach (string path in (string[])[jsonPath + PartialSuffix, TextPathFor(jsonPath) + PartialSuffix])
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A reservation that cannot be removed says "running" under a .partial name: nothing claims success.
            }
        }
    }

    /// <summary>Saves the report at <paramref name="jsonPath"/>; when that fails (a full file system, a folder
    /// gone), saves it in the temporary folder instead (<c>$TMPDIR</c>), saying in the report and its warnings
    /// where it was meant to go and why it is not there. Returns the paths written. Throws only when both fail.</summary>
    public (string JsonPath, string TextPath) SaveOrFallBack(string jsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        try
        {
            return (jsonPath, Save(jsonPath));
        }
        catch (Exception first) when (first is IOException or UnauthorizedAccessException)
        {
            // Room for the fallback's sake, and no half-written report beside the output.
            foreach (string leftover in (string[])[jsonPath + PartialSuffix, TextPathFor(jsonPath) + PartialSuffix])
            {
                TryDelete(leftover);
            }
            string fallback = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture,
                $"fpipe-{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Environment.ProcessId}-{Path.GetFileName(jsonPath)}"));
            string note = $"the report could not be written to {jsonPath} ({first.Message}); it was written to {fallback}";
            Root["reportLocation"] = new JsonObject { ["intended"] = jsonPath, ["writtenTo"] = fallback, ["reason"] = first.Message };
            JsonArray warnings = Root["warnings"] as JsonArray ?? [];
            warnings.Add((JsonNode)note);
            Root["warnings"] = warnings;
            try
            {
                return (fallback, Save(fallback));
            }
            catch (Exception second) when (second is IOException or UnauthorizedAccessException)
            {
                // The job's own error stays first: it is what the user must see.
                string job = Root["error"]?.ToString() is string error ? $"{error}; and " : "";
                throw new IOException($"{job}{note}; that failed too: {second.Message}", second);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the fallback is written regardless.
        }
    }
}
