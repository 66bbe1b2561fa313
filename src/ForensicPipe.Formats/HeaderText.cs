using System.Text;

namespace ForensicPipe.Formats;

/// <summary>The fixed-size, NUL-padded text fields of image headers, as reports and messages show them.</summary>
internal static class HeaderText
{
    /// <summary>The bytes of <paramref name="field"/> before its first NUL (all of them without one).</summary>
    public static ReadOnlySpan<byte> BeforeNul(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return end < 0 ? field : field[..end];
    }

    /// <summary>Printable ASCII as is, every other byte as <c>\xNN</c>: a damaged field stays readable and
    /// cannot put control characters on the terminal.</summary>
    public static string Escaped(ReadOnlySpan<byte> bytes)
    {
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
