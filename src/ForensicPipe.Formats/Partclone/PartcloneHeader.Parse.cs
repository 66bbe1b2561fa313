using V1 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V1;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Formats.Partclone;

// Parsing: format detection and the size rules both versions share (docs/formats/partclone.md, "Validity rules").
public sealed partial class PartcloneHeader
{
    /// <summary>
    /// Parses and validates a header. <paramref name="header"/> starts at byte 0 of the image and holds at
    /// least <see cref="PartcloneFieldOffsets.V2.HeaderSize"/> (110) bytes for format 0002 or 4160 for 0001.
    /// Checks magic, version, endianness marker, header CRC (before any other field is trusted), options,
    /// and every size rule of docs/formats/partclone.md, "Validity rules"; throws
    /// <see cref="Core.Errors.ImageFormatException"/> naming the field, the value and its byte offset.
    /// </summary>
    public static PartcloneHeader Parse(ReadOnlySpan<byte> header)
    {
        PartcloneImageVersion version = DetectOrThrow(header);
        return version == PartcloneImageVersion.V2 ? ParseV2(header) : ParseV1(header);
    }

    /// <summary>The header size of <paramref name="version"/>.</summary>
    public static int GetHeaderSize(PartcloneImageVersion version) => version switch
    {
        PartcloneImageVersion.V1 => V1.HeaderSize,
        PartcloneImageVersion.V2 => V2.HeaderSize,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown partclone format version."),
    };

    /// <summary>Checks magic and version of the first <see cref="PartcloneDetector.HeaderSize"/> bytes.</summary>
    internal static PartcloneImageVersion DetectOrThrow(ReadOnlySpan<byte> header)
    {
        if (!PartcloneDetector.TryDetect(header, out PartcloneImageVersion version))
        {
            int present = Math.Min(header.Length, PartcloneFieldOffsets.MagicLength);
            if (header[..present].SequenceEqual(PartcloneDetector.Magic[..present]))
            {
                PartcloneThrowHelper.ThrowTruncated("header", 0, PartcloneDetector.HeaderSize, header.Length, null);
            }
            PartcloneThrowHelper.ThrowInvalid("magic", V2.Magic,
                $"expected \"partclone-image\", found \"{HeaderText.Escaped(header[..present])}\"");
        }
        if (version == PartcloneImageVersion.Unknown)
        {
            string text = HeaderText.Escaped(header.Slice(PartcloneFieldOffsets.FormatVersion, PartcloneFieldOffsets.FormatVersionLength));
            PartcloneThrowHelper.ThrowInvalid("version", PartcloneFieldOffsets.FormatVersion,
                $"format version \"{text}\" is not supported (known: 0001, 0002)");
        }
        return version;
    }

    /// <summary>The first <paramref name="size"/> bytes of <paramref name="header"/>, which must hold them all.</summary>
    private static ReadOnlySpan<byte> WholeHeader(ReadOnlySpan<byte> header, int size)
    {
        if (header.Length < size)
        {
            PartcloneThrowHelper.ThrowTruncated("header", 0, size, header.Length, null);
        }
        return header[..size];
    }

    private static void ValidateBlockSize(uint blockSize, int offset)
    {
        if (blockSize is 0 or > MaxBlockSize)
        {
            PartcloneThrowHelper.ThrowInvalid("block_size", offset, $"value {blockSize} is outside 1..{MaxBlockSize}");
        }
    }

    private static void ValidateTotalBlocks(ulong totalBlocks, int offset)
    {
        if (totalBlocks > MaxTotalBlocks)
        {
            PartcloneThrowHelper.ThrowInvalid("total_blocks", offset,
                $"value {totalBlocks} exceeds 2^43 ({MaxTotalBlocks}), the largest partclone accepts");
        }
    }

    private static void ValidateUsedBlocks(ulong usedBlocks, ulong totalBlocks, int offset)
    {
        if (usedBlocks > totalBlocks)
        {
            PartcloneThrowHelper.ThrowInvalid("used_blocks", offset, $"value {usedBlocks} exceeds total_blocks {totalBlocks}");
        }
    }

    private static long ExpectedSizeOrThrow(long dataStart, long used, uint blockSize, long checksumBytes, int offset)
    {
        UInt128 size = (UInt128)(ulong)dataStart + ((UInt128)(ulong)used * blockSize) + (ulong)checksumBytes;
        if (size > long.MaxValue)
        {
            PartcloneThrowHelper.ThrowInvalid("used_blocks", offset,
                $"the image would be {size} bytes, more than the largest supported size {long.MaxValue}");
        }
        return (long)size;
    }

    private static string ReadText(ReadOnlySpan<byte> field) => HeaderText.Escaped(HeaderText.BeforeNul(field));
}
