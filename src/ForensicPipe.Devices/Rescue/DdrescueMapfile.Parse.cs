using System.Globalization;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Devices.Rescue;

public static partial class DdrescueMapfile
{
    /// <summary>A mapfile larger than this (64 MiB, millions of areas) is refused before it is read.</summary>
    public const long MaxMapfileBytes = 64L << 20;

    private const string Statuses = "?*/-+";

    /// <summary>Reads a mapfile (ddrescue manual, "Mapfile structure"): <c>#</c> comment lines, the status line
    /// <c>current_pos current_status [current_pass]</c>, then <c>pos size status</c> lines, numbers decimal or
    /// <c>0x</c> hexadecimal, areas contiguous from 0. Errors name the file and line.</summary>
    public static ParsedMapfile Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long length = new FileInfo(path).Length;
        if (length > MaxMapfileBytes)
        {
            throw new ForensicPipeException($"{path}: {length} bytes, more than a mapfile of {MaxMapfileBytes} bytes this reader accepts");
        }
        return Parse(File.ReadAllLines(path), path);
    }

    /// <summary>Reads the lines of a mapfile; <paramref name="name"/> names it in errors.</summary>
    public static ParsedMapfile Parse(IReadOnlyList<string> lines, string name)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var comments = new List<string>();
        var areas = new List<MapfileArea>();
        long? currentPosition = null;
        char currentStatus = NonTried;
        long expected = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith('#'))
            {
                comments.Add(line[1..].TrimStart());
                continue;
            }
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (currentPosition is null)
            {
                if (fields.Length is < 2 or > 3 || fields[1].Length != 1)
                {
                    throw Invalid(name, i, "the status line is not 'current_pos current_status [current_pass]'");
                }
                currentPosition = Number(fields[0], name, i);
                currentStatus = fields[1][0];
                continue;
            }
            if (fields.Length != 3 || fields[2].Length != 1 || !Statuses.Contains(fields[2][0], StringComparison.Ordinal))
            {
                throw Invalid(name, i, "an area line is not 'pos size status' with status one of ?*/-+");
            }
            long position = Number(fields[0], name, i);
            long size = Number(fields[1], name, i);
            if (position != expected || size <= 0 || size > long.MaxValue - position)
            {
                throw Invalid(name, i, $"the area at {position} of {size} bytes does not follow the previous one, which ends at {expected}");
            }
            expected = position + size;
            char status = fields[2][0] is Finished or BadSector ? fields[2][0] : NonTried;
            areas.Add(new MapfileArea(position, size, status));
        }
        if (currentPosition is null)
        {
            throw new ForensicPipeException($"{name}: not a ddrescue mapfile: no status line");
        }
        return new ParsedMapfile(new RescueMap(areas), currentPosition.Value, currentStatus, comments);
    }

    private static long Number(string text, string name, int line)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!long.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            || value < 0)
        {
            throw Invalid(name, line, $"'{text}' is not a byte count");
        }
        return value;
    }

    private static ForensicPipeException Invalid(string name, int line, string detail) =>
        new($"{name}: line {line + 1}: {detail}");
}
