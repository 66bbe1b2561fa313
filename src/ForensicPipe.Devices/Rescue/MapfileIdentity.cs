using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Rescue;

/// <summary>
/// Which source and output a mapfile belongs to, kept in two comment lines of the mapfile (ddrescue skips
/// comments): <c># fpipe-source: {"path":…,"size":…,"sectorSize":…,"model":…,"serial":…}</c> and
/// <c># fpipe-output: {"path":…}</c>. A resumed run must read the same source into the same output:
/// continuing another disk's mapfile would mark unread bytes of this one as copied.
/// </summary>
/// <param name="SourcePath">The device or file as opened.</param>
/// <param name="SourceSize">Bytes the OS reports for it.</param>
/// <param name="SectorSize">Its logical sector size.</param>
/// <param name="Model">The disk's model, when sysfs names one.</param>
/// <param name="Serial">The disk's serial number, when sysfs names one.</param>
/// <param name="OutputPath">The output's final path, or null without a raw-file output.</param>
public sealed record MapfileIdentity(string SourcePath, long SourceSize, int SectorSize, string? Model, string? Serial, string? OutputPath)
{
    /// <summary>Start of the source comment (after <c>#</c> and a space).</summary>
    public const string SourcePrefix = "fpipe-source: ";

    /// <summary>Start of the output comment.</summary>
    public const string OutputPrefix = "fpipe-output: ";

    /// <summary>The two comment lines.</summary>
    public IEnumerable<string> ToComments()
    {
        var source = new JsonObject
        {
            ["path"] = SourcePath,
            ["size"] = SourceSize,
            ["sectorSize"] = SectorSize,
            ["model"] = Model,
            ["serial"] = Serial,
        };
        yield return SourcePrefix + source.ToJsonString();
        yield return OutputPrefix + new JsonObject { ["path"] = OutputPath }.ToJsonString();
    }

    /// <summary>The identity in <paramref name="comments"/>, or null when they hold none (a mapfile ddrescue or an
    /// older fpipe wrote) or it cannot be read.</summary>
    public static MapfileIdentity? FromComments(IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        try
        {
            if (comments.FirstOrDefault(c => c.StartsWith(SourcePrefix, StringComparison.Ordinal)) is not string sourceLine
                || JsonNode.Parse(sourceLine[SourcePrefix.Length..]) is not JsonObject source
                || source["path"]?.GetValue<string>() is not string path)
            {
                return null;
            }
            string? output = comments.FirstOrDefault(c => c.StartsWith(OutputPrefix, StringComparison.Ordinal)) is string outputLine
                ? JsonNode.Parse(outputLine[OutputPrefix.Length..])?["path"]?.GetValue<string>()
                : null;
            return new MapfileIdentity(path, source["size"]?.GetValue<long>() ?? -1, source["sectorSize"]?.GetValue<int>() ?? -1,
                source["model"]?.GetValue<string>(), source["serial"]?.GetValue<string>(), output);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Why a mapfile of this identity does not belong to <paramref name="current"/>, or null when it
    /// does. With a serial number on both sides the disk is known by it (its path may change between plug-ins);
    /// otherwise by its path. Size and sector size must always agree, and the output must be the same file.</summary>
    public string? MismatchWith(MapfileIdentity current)
    {
        ArgumentNullException.ThrowIfNull(current);
        bool serials = !string.IsNullOrEmpty(Serial) && !string.IsNullOrEmpty(current.Serial);
        if (serials && Serial != current.Serial)
        {
            return $"it was written for the disk with serial {Serial}, and {current.SourcePath} has serial {current.Serial}";
        }
        if (!serials && SourcePath != current.SourcePath)
        {
            return $"it was written for the source {SourcePath}, not {current.SourcePath}";
        }
        if (!string.IsNullOrEmpty(Model) && !string.IsNullOrEmpty(current.Model) && Model != current.Model)
        {
            return $"it was written for a disk of model {Model}, and {current.SourcePath} is a {current.Model}";
        }
        if (SourceSize != current.SourceSize || SectorSize != current.SectorSize)
        {
            return $"it was written for a source of {SourceSize} bytes in {SectorSize}-byte sectors, and {current.SourcePath} has {current.SourceSize} bytes in {current.SectorSize}-byte sectors";
        }
        if (OutputPath != current.OutputPath)
        {
            return $"it was written for the output {OutputPath ?? "(none)"}, not {current.OutputPath ?? "(none)"}";
        }
        return null;
    }
}
