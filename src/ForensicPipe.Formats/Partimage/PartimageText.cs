using System.Text;
using System.Text.Unicode;

namespace ForensicPipe.Formats.Partimage;

/// <summary>Reads the fixed-size, NUL-padded text fields of partimage headers.</summary>
internal static class PartimageText
{
    /// <summary>The text up to the first NUL, with non-printable bytes escaped as <c>\xNN</c>.</summary>
    public static string Read(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Printable(end < 0 ? field : field[..end]);
    }

    /// <summary>Printable ASCII as is, UTF-8 sequences decoded, anything else escaped as <c>\xNN</c>.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return Encoding.ASCII.GetString(bytes);
        }
        if (Utf8.IsValid(bytes) && !bytes.ContainsAnyInRange((byte)0, (byte)0x1F) && !bytes.Contains((byte)0x7F))
        {
            return Encoding.UTF8.GetString(bytes);
        }
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append($"\\x{b:x2}");
            }
        }
        return text.ToString();
    }
}
