using System.Text;

namespace ForensicPipe.Devices.Listing;

/// <summary>
/// Parses <c>/proc/self/mountinfo</c> (proc(5)): <c>ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] -
/// FSTYPE SOURCE SUPEROPTIONS</c>, where spaces, tabs, newlines and backslashes in paths are written as
/// octal escapes (<c>\040</c>). Lines that do not have this shape are skipped.
/// </summary>
public static class MountInfo
{
    /// <summary>The mount table of this process.</summary>
    public const string ProcPath = "/proc/self/mountinfo";

    private const int DeviceField = 2;
    private const int MountPointField = 4;
    private const int FieldsBeforeOptional = 6;

    /// <summary>Parses the text of a mountinfo file.</summary>
    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<MountEntry>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            int separator = fields.Length > FieldsBeforeOptional ? Array.IndexOf(fields, "-", FieldsBeforeOptional) : -1;
            if (separator < 0 || separator + 2 >= fields.Length
                || !fields[DeviceField].Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            entries.Add(new MountEntry(fields[DeviceField], Unescape(fields[MountPointField]),
                Unescape(fields[separator + 1]), Unescape(fields[separator + 2])));
        }
        return entries;
    }

    /// <summary>Reads and parses <see cref="ProcPath"/>; empty when it cannot be read.</summary>
    public static IReadOnlyList<MountEntry> ReadCurrent()
    {
        try
        {
            return Parse(File.ReadAllText(ProcPath));
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Decodes the kernel's octal escapes (<c>\040</c> → space).</summary>
    public static string Unescape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }
        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
