using System.Text;
using System.Text.Unicode;

namespace ForensicPipe.Formats.Partimage;

/// <summary>Reads the fixed-size, NUL-padded text fields of partimage headers.</summary>
internal static class PartimageText
{
    /// <summary>The text up to the first NUL, with non-printable bytes escaped as <c>\xNN</c>.</summary>
    public static string Read(ReadOnlySpan<byte> field) => Printable(HeaderText.BeforeNul(field));

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
        return HeaderText.Escaped(bytes);
    }
}
