using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// The text of the header2 (UTF-16LE with a byte-order mark, lines ending in LF) and header (ASCII, lines
/// ending in CR LF) sections, zlib-compressed in the file. Built with the categories, identifiers and
/// defaults ewfacquire 20140813 writes for EnCase 6 (docs/formats/e01.md).
/// </summary>
internal static class EwfHeaderText
{
    /// <summary>The header2 text for <paramref name="info"/>.</summary>
    public static string BuildHeader2(EwfCaseInfo info)
    {
        var text = new StringBuilder();
        text.Append("3\nmain\n");
        text.Append("a\tc\tn\te\tt\tmd\tsn\tav\tov\tm\tu\tp\tdc\n");
        text.AppendJoin('\t', Clean(info.Description), Clean(info.CaseNumber), Clean(info.EvidenceNumber), Clean(info.Examiner),
            Clean(info.Notes), Clean(info.Model), Clean(info.SerialNumber), Clean(info.SoftwareVersion), Clean(info.OperatingSystem),
            UnixTime(info.AcquiredAt), UnixTime(info.SystemAt), "0", "");
        text.Append("\n\n");
        text.Append("srce\n0\t1\np\tn\tid\tev\ttb\tlo\tpo\tah\tgu\taq\n0\t0\n\t\t\t\t\t-1\t-1\t\t\t\n\n");
        text.Append("sub\n0\t1\np\tn\tid\tnu\tco\tgu\n0\t0\n\t\t\t\t1\t\n\n");
        return text.ToString();
    }

    /// <summary>The header text for <paramref name="info"/> (dates as local time <c>yyyy M d H m s</c>).</summary>
    public static string BuildHeader(EwfCaseInfo info)
    {
        var text = new StringBuilder();
        text.Append("1\r\nmain\r\nc\tn\ta\te\tt\tav\tov\tm\tu\tp\r\n");
        text.AppendJoin('\t', Clean(info.CaseNumber), Clean(info.EvidenceNumber), Clean(info.Description), Clean(info.Examiner),
            Clean(info.Notes), Clean(info.SoftwareVersion), Clean(info.OperatingSystem), LocalTime(info.AcquiredAt), LocalTime(info.SystemAt), "0");
        text.Append("\r\n\r\n");
        return ToAscii(text.ToString());
    }

    /// <summary>The header2 section's payload: zlib of the UTF-16LE text with its byte-order mark.</summary>
    public static byte[] CompressHeader2(EwfCaseInfo info) =>
        Compress([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(BuildHeader2(info))]);

    /// <summary>The header section's payload: zlib of the ASCII text.</summary>
    public static byte[] CompressHeader(EwfCaseInfo info) => Compress(Encoding.ASCII.GetBytes(BuildHeader(info)));

    /// <summary>The identifier → value pairs of the <c>main</c> category of a header or header2 text.</summary>
    public static Dictionary<string, string> ParseMain(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 2 < lines.Length; i++)
        {
            if (lines[i] == "main")
            {
                string[] names = lines[i + 1].Split('\t');
                string[] data = lines[i + 2].Split('\t');
                for (int j = 0; j < names.Length && j < data.Length; j++)
                {
                    values[names[j]] = data[j];
                }
                break;
            }
        }
        return values;
    }

    /// <summary>Decodes a decompressed header2 (UTF-16 with a byte-order mark) or header (ASCII) payload.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, bool header2)
    {
        if (!header2)
        {
            return Encoding.ASCII.GetString(bytes);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        return Encoding.Unicode.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? bytes[2..] : bytes);
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    // Tabs and line ends separate the values; any inside a value would shift every following field.
    private static string Clean(string value) =>
        value.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    private static string ToAscii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            ascii.Append(c < 0x80 ? c : '?');
        }
        return ascii.ToString();
    }

    private static string UnixTime(DateTimeOffset? time) =>
        time is DateTimeOffset value ? value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "";

    private static string LocalTime(DateTimeOffset? time)
    {
        if (time is not DateTimeOffset value)
        {
            return "";
        }
        DateTime local = value.ToLocalTime().DateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{local.Year} {local.Month} {local.Day} {local.Hour} {local.Minute} {local.Second}");
    }
}
