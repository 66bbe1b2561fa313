namespace ForensicPipe.Formats.Partimage;

/// <summary>The magic strings of the partimage logical stream (docs/formats/partimage.md, "Logical stream"), none NUL
/// terminated.</summary>
internal static class PartimageMagic
{
    /// <summary>Start of every volume header (docs/formats/partimage.md, "Volume header"), followed by NULs up to 32
    /// bytes.</summary>
    public static ReadOnlySpan<byte> Volume => "PaRtImAgE-VoLuMe"u8;

    public static ReadOnlySpan<byte> MbrBackup => "MAGIC-BEGIN-MBRBACKUP"u8;

    public static ReadOnlySpan<byte> LocalHeader => "MAGIC-BEGIN-LOCALHEADER"u8;

    public static ReadOnlySpan<byte> Bitmap => "MAGIC-BEGIN-BITMAP"u8;

    public static ReadOnlySpan<byte> Info => "MAGIC-BEGIN-INFO"u8;

    public static ReadOnlySpan<byte> DataBlocks => "MAGIC-BEGIN-DATABLOCKS"u8;

    public static ReadOnlySpan<byte> Tail => "MAGIC-BEGIN-TAIL"u8;

    /// <summary>The first 4 bytes of a CHK record.</summary>
    public static ReadOnlySpan<byte> Chk => "CHK\0"u8;

    /// <summary><c>MAGIC-BEGIN-EXT000</c> … <c>EXT009</c>: this prefix and three digits.</summary>
    public static ReadOnlySpan<byte> ExtensionPrefix => "MAGIC-BEGIN-EXT"u8;

    /// <summary>Length of an extension magic, <c>MAGIC-BEGIN-EXT000</c>.</summary>
    public const int ExtensionLength = 18;

    /// <summary>Writes <c>MAGIC-BEGIN-EXT00n</c> into <paramref name="destination"/> (18 bytes).</summary>
    public static void WriteExtension(int index, Span<byte> destination)
    {
        ExtensionPrefix.CopyTo(destination);
        destination[15] = (byte)('0' + (index / 100));
        destination[16] = (byte)('0' + (index / 10 % 10));
        destination[17] = (byte)('0' + (index % 10));
    }
}
