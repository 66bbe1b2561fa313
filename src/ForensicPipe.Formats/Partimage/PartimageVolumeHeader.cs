using System.Buffers.Binary;
using System.Text.Json.Nodes;
using V = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Volume;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// The 512-byte header at the start of every partimage volume file (docs/formats/partimage.md, "Volume header"): magic,
/// image-format version, volume number and the identifier shared by all volumes of one image.
/// </summary>
public readonly struct PartimageVolumeHeader
{
    private PartimageVolumeHeader(string version, uint number, ulong identifier)
    {
        Version = version;
        Number = number;
        Identifier = identifier;
    }

    /// <summary>Image-format version text: <c>0.6.0</c> or <c>0.6.1</c>.</summary>
    public string Version { get; }

    /// <summary>Volume number: 0 for the first file, then 1, 2, ….</summary>
    public uint Number { get; }

    /// <summary>Identifier, equal in all volumes of one image.</summary>
    public ulong Identifier { get; }

    /// <summary>The identifier as 16 hex digits.</summary>
    public string IdentifierHex => $"0x{Identifier:x16}";

    /// <summary>
    /// Parses and validates the 512 bytes of <paramref name="header"/>: magic and version (partimage reads only
    /// <c>0.6.0</c> and <c>0.6.1</c>). Offsets in errors are offsets in the (decompressed) volume file, which the
    /// message names (<paramref name="file"/>).
    /// </summary>
    public static PartimageVolumeHeader Parse(ReadOnlySpan<byte> header, string file)
    {
        if (header.Length < V.Size)
        {
            PartimageThrowHelper.ThrowInvalid("volume header", 0,
                $"{file} is truncated: {header.Length} of the 512 bytes of its volume header present");
        }
        if (!PartimageDetector.TryDetect(header))
        {
            PartimageThrowHelper.ThrowInvalid("volume magic", V.Magic,
                $"{file} is not a partimage volume: expected \"PaRtImAgE-VoLuMe\" and NULs up to byte 32, found \"{PartimageText.Printable(header[..V.MagicLength])}\"");
        }
        string version = PartimageText.Read(header.Slice(V.Version, V.VersionLength));
        if (!IsSupportedVersion(version))
        {
            PartimageThrowHelper.ThrowInvalid("volume version", V.Version,
                $"{file}: image-format version \"{version}\" is not supported (partimage 0.6.x reads 0.6.0 and 0.6.1)");
        }
        return new PartimageVolumeHeader(version,
            BinaryPrimitives.ReadUInt32LittleEndian(header[V.Number..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[V.Identifier..]));
    }

    /// <summary>Whether partimage 0.6.x reads images of this format version.</summary>
    internal static bool IsSupportedVersion(string version) => version is "0.6.0" or "0.6.1";

    /// <summary>The fields for the report.</summary>
    public JsonObject Describe() => new()
    {
        ["version"] = Version,
        ["number"] = Number,
        ["identifier"] = IdentifierHex,
    };
}
