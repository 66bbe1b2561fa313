using System.Globalization;
using System.Text;

namespace ForensicPipe.Devices.Rescue;

/// <summary>
/// Writes a GNU ddrescue mapfile (ddrescue manual, "Mapfile structure"): comment lines, then the status
/// line <c>current_pos current_status current_pass</c>, then one <c>pos size status</c> line per area, in
/// hexadecimal with <c>0x</c>, areas contiguous from 0. Statuses used: <c>+</c> finished, <c>-</c> bad sector
/// (failed after retries), <c>?</c> non-tried (an aborted run). <c>ddrescuelog</c> reads what this writes.
/// </summary>
public static partial class DdrescueMapfile
{
    /// <summary>Status of a finished area or a finished run.</summary>
    public const char Finished = '+';

    /// <summary>Status of a bad-sector area.</summary>
    public const char BadSector = '-';

    /// <summary>Status of an area not tried; as current status: copying (the run did not finish).</summary>
    public const char NonTried = '?';

    /// <summary>The areas of <c>[0, end)</c>: finished except <paramref name="badRanges"/>, and non-tried from
    /// <paramref name="reached"/> to <paramref name="end"/> when the run stopped early.</summary>
    public static IReadOnlyList<MapfileArea> Areas(IReadOnlyList<BadRange> badRanges, long reached, long end)
    {
        ArgumentNullException.ThrowIfNull(badRanges);
        var areas = new List<MapfileArea>();
        long position = 0;
        foreach (BadRange bad in badRanges.OrderBy(range => range.Offset))
        {
            Add(areas, position, bad.Offset - position, Finished);
            Add(areas, bad.Offset, bad.Length, BadSector);
            position = bad.Offset + bad.Length;
        }
        Add(areas, position, reached - position, Finished);
        Add(areas, Math.Max(position, reached), end - Math.Max(position, reached), NonTried);
        return areas;
    }

    /// <summary>Renders the mapfile text.</summary>
    public static string Render(IReadOnlyList<MapfileArea> areas, long currentPosition, bool finished,
        string commandLine, DateTime startLocal, DateTime nowLocal, string toolVersion) =>
        Render(areas, currentPosition, finished, commandLine, startLocal, nowLocal, toolVersion, []);

    /// <summary>Renders the mapfile text with <paramref name="comments"/> (lines without the <c>#</c>) after the
    /// time lines: ddrescue skips comment lines, so this is where the source identity and the sessions go.</summary>
    public static string Render(IReadOnlyList<MapfileArea> areas, long currentPosition, bool finished,
        string commandLine, DateTime startLocal, DateTime nowLocal, string toolVersion, IEnumerable<string> comments)
    {
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(comments);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Mapfile. Created by ForensicPipe version {toolVersion} (GNU ddrescue mapfile format)\n");
        text.Append(CultureInfo.InvariantCulture, $"# Command line: {commandLine.ReplaceLineEndings(" ")}\n");
        text.Append(CultureInfo.InvariantCulture, $"# Start time:   {startLocal:yyyy-MM-dd HH:mm:ss}\n");
        text.Append(CultureInfo.InvariantCulture, $"# Current time: {nowLocal:yyyy-MM-dd HH:mm:ss}\n");
        foreach (string comment in comments)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {comment.ReplaceLineEndings(" ")}\n");
        }
        if (finished)
        {
            text.Append("# Finished\n");
        }
        text.Append("# current_pos  current_status  current_pass\n");
        text.Append(CultureInfo.InvariantCulture, $"0x{currentPosition:X8}     {(finished ? Finished : NonTried)}               1\n");
        text.Append("#      pos        size  status\n");
        foreach (MapfileArea area in areas)
        {
            text.Append(CultureInfo.InvariantCulture, $"0x{area.Position:X8}  0x{area.Size:X8}  {area.Status}\n");
        }
        return text.ToString();
    }

    private static void Add(List<MapfileArea> areas, long position, long size, char status)
    {
        if (size <= 0)
        {
            return;
        }
        if (areas.Count > 0 && areas[^1].Status == status && areas[^1].Position + areas[^1].Size == position)
        {
            areas[^1] = areas[^1] with { Size = areas[^1].Size + size };
            return;
        }
        areas.Add(new MapfileArea(position, size, status));
    }
}
