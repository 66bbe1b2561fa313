using System.Text.Json.Nodes;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Formats.Partclone;

// The header in words: names of modes, the checksum scheme, and every field for the report and fpipe info.
public sealed partial class PartcloneHeader
{
    /// <summary>Name of the checksum mode as partclone prints it.</summary>
    public string ChecksumModeName => GetChecksumModeName((int)ChecksumMode);

    /// <summary>The data checksum algorithm in words, with its parameters and byte order.</summary>
    public string ChecksumAlgorithm => ChecksumMode switch
    {
        PartcloneChecksumMode.None => "none",
        PartcloneChecksumMode.Crc32 => "CRC32 (partclone pc-crc: reflected 0xEDB88320, register from 0xFFFFFFFF, no final inversion; stored u32 little-endian)",
        PartcloneChecksumMode.XxHash64 => "XXH64 (seed 0; stored u64 little-endian)",
        PartcloneChecksumMode.Xxh3128 => "XXH3-128 (seed 0, default secret; stored {low64, high64}, each little-endian)",
        PartcloneChecksumMode.Crc32FirstByte => "CRC32_0001 (partclone 0001 per-block CRC: only the first byte of each block, fed block_size times)",
        _ => "unknown",
    };

    /// <summary>What each stored value covers, e.g. <c>XXH3-128 every 2560 blocks, reset after each group</c>.</summary>
    public string ChecksumCoverage
    {
        get
        {
            if (FormatVersion == PartcloneImageVersion.V1)
            {
                return "CRC32_0001 after every block, chained over all blocks (never reset)";
            }
            if (!ChecksumsEnabled)
            {
                return "no data checksums";
            }
            long last = UsedBlocks % BlocksPerChecksum;
            string tail = last == 0 ? "" : $"; the last group has {last} blocks";
            return Reseed
                ? $"{ChecksumModeName} every {BlocksPerChecksum} blocks, reset after each group{tail}"
                : $"{ChecksumModeName} every {BlocksPerChecksum} blocks, never reset (-K): each value covers all data from the first block to the end of its group{tail}";
        }
    }

    /// <summary>Name of the bitmap mode as partclone prints it.</summary>
    public string BitmapModeName => GetBitmapModeName(BitmapMode);

    /// <summary>Every header field and the layout derived from it, for the report and <c>fpipe info</c>.</summary>
    public JsonObject Describe()
    {
        var json = new JsonObject
        {
            ["magic"] = Magic,
            ["formatVersion"] = FormatVersionText,
            ["partcloneVersion"] = PartcloneVersion,
            ["endiannessMarker"] = EndiannessMarker is ushort marker ? $"0x{marker:x4}" : null,
            ["fileSystem"] = FileSystem,
            ["deviceSize"] = DeviceSize,
            ["partitionSize"] = PartitionSize,
            ["totalBlocks"] = TotalBlocks,
            ["usedBlocksSuperblock"] = SuperblockUsedBlocks,
            ["usedBlocks"] = UsedBlocks,
            ["blockSize"] = BlockSize,
            ["featureSize"] = FeatureSize,
            ["imageVersion"] = ImageVersion,
            ["cpuBits"] = CpuBits,
            ["checksumMode"] = (int)ChecksumMode,
            ["checksumModeHex"] = $"0x{(int)ChecksumMode:x2}",
            ["checksumModeName"] = ChecksumModeName,
            ["checksumAlgorithm"] = ChecksumAlgorithm,
            ["checksumSize"] = ChecksumSize,
            ["blocksPerChecksum"] = BlocksPerChecksum,
            ["reseed"] = Reseed,
            ["checksumCoverage"] = ChecksumCoverage,
            ["bitmapMode"] = BitmapMode,
            ["bitmapModeName"] = BitmapModeName,
            ["headerCrc"] = HeaderCrc is uint stored
                ? new JsonObject
                {
                    ["offset"] = V2.HeaderCrc,
                    ["stored"] = Hex(stored),
                    ["computed"] = Hex(HeaderCrcComputed ?? 0),
                }
                : null,
            ["headerSize"] = HeaderSize,
            ["bitmapOffset"] = BitmapOffset,
            ["bitmapSize"] = BitmapSize,
            ["dataStart"] = DataStart,
            ["checksumCount"] = ChecksumCount,
            ["expectedImageSize"] = ExpectedImageSize,
        };
        return json;
    }

    internal static string Hex(uint value) => value.ToString("x8");

    /// <summary>Name of a <c>checksum_mode</c> value.</summary>
    public static string GetChecksumModeName(int mode) => mode switch
    {
        (int)PartcloneChecksumMode.None => "NONE",
        (int)PartcloneChecksumMode.Crc32 => "CRC32",
        (int)PartcloneChecksumMode.XxHash64 => "XXH64",
        (int)PartcloneChecksumMode.Xxh3128 => "XXH3-128",
        (int)PartcloneChecksumMode.Crc32FirstByte => "CRC32_0001",
        _ => "UNKNOWN",
    };

    /// <summary>Name of a <c>bitmap_mode</c> value.</summary>
    public static string GetBitmapModeName(int mode) => mode switch
    {
        0 => "NONE",
        BitmapModeBit => "BIT",
        BitmapModeByte => "BYTE",
        _ => "UNKNOWN",
    };
}
