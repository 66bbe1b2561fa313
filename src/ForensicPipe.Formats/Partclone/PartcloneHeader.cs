using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ForensicPipe.Formats.Checksums;
using V1 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V1;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// A validated partclone image header, format 0002 or 0001 (docs/formats/partclone.md), with the layout of
/// the rest of the image derived from it. Fields that format 0001 does not store are null; the checksum
/// options of a 0001 image are the ones partclone implies for it (one buggy CRC after every block).
/// </summary>
public sealed class PartcloneHeader
{
    /// <summary>Largest block size partclone accepts: 64 MiB.</summary>
    public const int MaxBlockSize = 64 << 20;

    /// <summary>Largest block count partclone accepts: 2^43.</summary>
    public const long MaxTotalBlocks = 1L << 43;

    /// <summary>Endianness marker of a little-endian writer (bytes <c>DE C0</c>).</summary>
    public const ushort LittleEndianMarker = 0xC0DE;

    /// <summary>The marker as read from a big-endian writer's image.</summary>
    public const ushort BigEndianMarker = 0xDEC0;

    /// <summary><c>bitmap_mode</c> 1: one bit per block, the only mode format 0002 writes.</summary>
    public const byte BitmapModeBit = 1;

    /// <summary><c>bitmap_mode</c> 8: one byte per block (format 0001).</summary>
    public const byte BitmapModeByte = 8;

    /// <summary>The CRC register's start value (pc-crc, docs/formats/partclone.md, "Checksums").</summary>
    internal const uint CrcSeed = 0xFFFFFFFF;

    private PartcloneHeader()
    {
    }

    /// <summary>The format version.</summary>
    public PartcloneImageVersion FormatVersion { get; private init; }

    /// <summary>The magic text, <c>partclone-image</c>.</summary>
    public string Magic { get; private init; } = "";

    /// <summary>The format version text, <c>0002</c> or <c>0001</c>.</summary>
    public string FormatVersionText { get; private init; } = "";

    /// <summary>Version of partclone that wrote the image (<c>0.3.23</c>); null for format 0001.</summary>
    public string? PartcloneVersion { get; private init; }

    /// <summary>Endianness marker as read little-endian (<see cref="LittleEndianMarker"/>); null for 0001.</summary>
    public ushort? EndiannessMarker { get; private init; }

    /// <summary>File system name (<c>EXTFS</c>, <c>FAT32</c>, <c>NTFS</c>, …), informational.</summary>
    public string FileSystem { get; private init; } = "";

    /// <summary><c>device_size</c> as stored. Unreliable in format 0001; use <see cref="PartitionSize"/>.</summary>
    public ulong DeviceSize { get; private init; }

    /// <summary>Bytes of the reconstructed partition: device_size (0002) or total × block size (0001).</summary>
    public long PartitionSize { get; private init; }

    /// <summary>Number of blocks of the partition (<c>total_blocks</c>).</summary>
    public long TotalBlocks { get; private init; }

    /// <summary>Used blocks as the file system's superblock reported them (0002 byte 68); informational
    /// only, may differ from <see cref="UsedBlocks"/>. Null for format 0001.</summary>
    public ulong? SuperblockUsedBlocks { get; private init; }

    /// <summary>Blocks stored in the image: the number of set bits the bitmap must have (0002 byte 76,
    /// 0001 byte 56).</summary>
    public long UsedBlocks { get; private init; }

    /// <summary>Bytes per block, 1 .. <see cref="MaxBlockSize"/>.</summary>
    public int BlockSize { get; private init; }

    /// <summary>Size of the options block (18); null for format 0001.</summary>
    public uint? FeatureSize { get; private init; }

    /// <summary>Options-block image version (2); null for format 0001.</summary>
    public ushort? ImageVersion { get; private init; }

    /// <summary>Pointer width of the writer's build (32 or 64); null for format 0001.</summary>
    public ushort? CpuBits { get; private init; }

    /// <summary>Data checksum algorithm (<see cref="PartcloneChecksumMode.Crc32FirstByte"/> for 0001).</summary>
    public PartcloneChecksumMode ChecksumMode { get; private init; }

    /// <summary>Bytes of each stored data checksum: 0 (none), 4 (CRC32), 8 (XXH64) or 16 (XXH3-128).</summary>
    public int ChecksumSize { get; private init; }

    /// <summary>Blocks covered by each checksum (<c>blocks_per_checksum</c>; 1 for 0001; 0 without checksums).</summary>
    public long BlocksPerChecksum { get; private init; }

    /// <summary>Whether the checksum restarts after each stored value (false for <c>-K</c> and for 0001).</summary>
    public bool Reseed { get; private init; }

    /// <summary>Bitmap encoding: <see cref="BitmapModeBit"/> (0002) or <see cref="BitmapModeByte"/> (0001).</summary>
    public byte BitmapMode { get; private init; }

    /// <summary>Header CRC as stored at byte 106; null for format 0001 (it has none).</summary>
    public uint? HeaderCrc { get; private init; }

    /// <summary>Header CRC recomputed over bytes 0..105; equals <see cref="HeaderCrc"/> (else Parse throws).</summary>
    public uint? HeaderCrcComputed { get; private init; }

    /// <summary>Size of the header: 110 (0002) or 4160 (0001).</summary>
    public int HeaderSize { get; private init; }

    /// <summary>Image offset of the bitmap (right after the header).</summary>
    public long BitmapOffset => HeaderSize;

    /// <summary>Bytes of the bitmap in the image: ceil(total / 8) (0002) or total (0001).</summary>
    public long BitmapSize { get; private init; }

    /// <summary>Image offset of what follows the bitmap: its CRC (0002) or <c>BiTmAgIc</c> (0001).</summary>
    public long BitmapTrailerOffset => BitmapOffset + BitmapSize;

    /// <summary>Bytes after the bitmap: 4 (CRC, 0002) or 8 (<c>BiTmAgIc</c>, 0001).</summary>
    public int BitmapTrailerSize => FormatVersion == PartcloneImageVersion.V1 ? V1.BitmapMagicLength : V2.BitmapCrcLength;

    /// <summary>Image offset of the first data block.</summary>
    public long DataStart => BitmapTrailerOffset + BitmapTrailerSize;

    /// <summary>Whether stored checksums are interleaved with the data (mode ≠ 0 and bpc ≠ 0).</summary>
    public bool ChecksumsEnabled => ChecksumSize != 0 && BlocksPerChecksum != 0;

    /// <summary>Number of stored data checksums: ceil(used / bpc) when enabled.</summary>
    public long ChecksumCount { get; private init; }

    /// <summary>Exact size of a complete image file; nothing follows the data section.</summary>
    public long ExpectedImageSize { get; private init; }

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

    /// <summary>Image offset of the data of the block with rank <paramref name="rank"/> (the number of
    /// present blocks before it), docs/formats/partclone.md, "Random access".</summary>
    public long GetBlockImageOffset(long rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        long checksumsBefore = ChecksumsEnabled ? rank / BlocksPerChecksum : 0;
        return DataStart + (rank * BlockSize) + (checksumsBefore * ChecksumSize);
    }

    /// <summary>Image offset of the stored checksum of group <paramref name="group"/> (0-based),
    /// docs/formats/partclone.md, "Random access".</summary>
    public long GetChecksumImageOffset(long group)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        if (!ChecksumsEnabled)
        {
            throw new InvalidOperationException("The image has no data checksums.");
        }
        long endRank = Math.Min((group + 1) * BlocksPerChecksum, UsedBlocks);
        return DataStart + (endRank * BlockSize) + (group * ChecksumSize);
    }

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

    private static PartcloneHeader ParseV2(ReadOnlySpan<byte> header)
    {
        if (header.Length < V2.HeaderSize)
        {
            PartcloneThrowHelper.ThrowTruncated("header", 0, V2.HeaderSize, header.Length, null);
        }
        header = header[..V2.HeaderSize];

        if (header[PartcloneFieldOffsets.MagicLength] != 0)
        {
            PartcloneThrowHelper.ThrowInvalid("magic", PartcloneFieldOffsets.MagicLength,
                $"byte 0x{header[PartcloneFieldOffsets.MagicLength]:x2} after \"partclone-image\" where format 0002 has its NUL");
        }

        ushort marker = BinaryPrimitives.ReadUInt16LittleEndian(header[V2.Endianness..]);
        if (marker == BigEndianMarker)
        {
            PartcloneThrowHelper.ThrowInvalid("endianness", V2.Endianness,
                "marker 0xdec0: the image was written by a big-endian machine, which is not supported (partclone refuses it too)");
        }
        if (marker != LittleEndianMarker)
        {
            PartcloneThrowHelper.ThrowInvalid("endianness", V2.Endianness, $"marker 0x{marker:x4}, expected 0xc0de");
        }

        // Recompute the header CRC before trusting any other field.
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[V2.HeaderCrc..]);
        uint computedCrc = Crc32.Update(CrcSeed, header[..V2.HeaderCrc]);
        if (storedCrc != computedCrc)
        {
            PartcloneThrowHelper.ThrowChecksumMismatch("header CRC", V2.HeaderCrc,
                $"stored 0x{storedCrc:x8}, computed 0x{computedCrc:x8} over bytes 0..{V2.HeaderCrc - 1}");
        }

        uint featureSize = BinaryPrimitives.ReadUInt32LittleEndian(header[V2.FeatureSize..]);
        if (featureSize != V2.ExpectedFeatureSize)
        {
            PartcloneThrowHelper.ThrowInvalid("feature_size", V2.FeatureSize,
                $"value {featureSize} is not supported; only {V2.ExpectedFeatureSize} is known");
        }

        byte bitmapMode = header[V2.BitmapMode];
        if (bitmapMode != BitmapModeBit)
        {
            PartcloneThrowHelper.ThrowInvalid("bitmap_mode", V2.BitmapMode,
                $"value {bitmapMode} ({GetBitmapModeName(bitmapMode)}) is not supported in format 0002; partclone writes only 1 (BIT)");
        }

        uint blockSize = BinaryPrimitives.ReadUInt32LittleEndian(header[V2.BlockSize..]);
        ValidateBlockSize(blockSize, V2.BlockSize);

        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(header[V2.ChecksumMode..]);
        ushort checksumSize = BinaryPrimitives.ReadUInt16LittleEndian(header[V2.ChecksumSize..]);
        int expectedChecksumSize = mode switch
        {
            (ushort)PartcloneChecksumMode.None => 0,
            (ushort)PartcloneChecksumMode.Crc32 => 4,
            (ushort)PartcloneChecksumMode.XxHash64 => 8,
            (ushort)PartcloneChecksumMode.Xxh3128 => 16,
            _ => -1,
        };
        if (expectedChecksumSize < 0)
        {
            PartcloneThrowHelper.ThrowInvalid("checksum_mode", V2.ChecksumMode,
                $"unknown checksum mode 0x{mode:x2} (known: 0x00 none, 0x20 CRC32, 0x30 XXH64, 0x31 XXH3-128)");
        }
        if (checksumSize != expectedChecksumSize)
        {
            PartcloneThrowHelper.ThrowInvalid("checksum_size", V2.ChecksumSize,
                $"value {checksumSize} does not match checksum mode 0x{mode:x2} ({GetChecksumModeName(mode)}), which stores {expectedChecksumSize}");
        }
        uint blocksPerChecksum = BinaryPrimitives.ReadUInt32LittleEndian(header[V2.BlocksPerChecksum..]);
        if (mode != (ushort)PartcloneChecksumMode.None && blocksPerChecksum == 0)
        {
            PartcloneThrowHelper.ThrowInvalid("blocks_per_checksum", V2.BlocksPerChecksum,
                $"value 0 with checksum mode 0x{mode:x2} ({GetChecksumModeName(mode)}); it must be at least 1");
        }

        ulong totalBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[V2.TotalBlocks..]);
        ValidateTotalBlocks(totalBlocks, V2.TotalBlocks);

        ulong usedBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[V2.UsedBlocks..]);
        ValidateUsedBlocks(usedBlocks, totalBlocks, V2.UsedBlocks);

        ulong deviceSize = BinaryPrimitives.ReadUInt64LittleEndian(header[V2.DeviceSize..]);
        if (deviceSize > long.MaxValue)
        {
            PartcloneThrowHelper.ThrowInvalid("device_size", V2.DeviceSize,
                $"value {deviceSize} exceeds the largest supported size {long.MaxValue}");
        }
        UInt128 blocksBytes = (UInt128)totalBlocks * blockSize;
        if (blocksBytes > deviceSize)
        {
            PartcloneThrowHelper.ThrowInvalid("total_blocks", V2.TotalBlocks,
                $"total_blocks {totalBlocks} × block_size {blockSize} = {blocksBytes} exceeds device_size {deviceSize} (byte {V2.DeviceSize})");
        }

        bool checksums = mode != (ushort)PartcloneChecksumMode.None && blocksPerChecksum != 0;
        long total = (long)totalBlocks;
        long used = (long)usedBlocks;
        long bitmapSize = (total + 7) / 8;
        long checksumCount = checksums ? (used + blocksPerChecksum - 1) / blocksPerChecksum : 0;
        long dataStart = V2.HeaderSize + bitmapSize + V2.BitmapCrcLength;
        long expectedSize = ExpectedSizeOrThrow(dataStart, used, blockSize, checksumCount * checksumSize, V2.DeviceSize);

        return new PartcloneHeader
        {
            FormatVersion = PartcloneImageVersion.V2,
            Magic = "partclone-image",
            FormatVersionText = "0002",
            PartcloneVersion = ReadText(header.Slice(V2.PartcloneVersion, V2.PartcloneVersionLength)),
            EndiannessMarker = marker,
            FileSystem = ReadText(header.Slice(V2.FileSystem, V2.FileSystemLength)),
            DeviceSize = deviceSize,
            PartitionSize = (long)deviceSize,
            TotalBlocks = total,
            SuperblockUsedBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[V2.SuperblockUsedBlocks..]),
            UsedBlocks = used,
            BlockSize = (int)blockSize,
            FeatureSize = featureSize,
            ImageVersion = BinaryPrimitives.ReadUInt16LittleEndian(header[V2.ImageVersion..]),
            CpuBits = BinaryPrimitives.ReadUInt16LittleEndian(header[V2.CpuBits..]),
            ChecksumMode = (PartcloneChecksumMode)mode,
            ChecksumSize = checksumSize,
            BlocksPerChecksum = blocksPerChecksum,
            Reseed = header[V2.Reseed] != 0,
            BitmapMode = bitmapMode,
            HeaderCrc = storedCrc,
            HeaderCrcComputed = computedCrc,
            HeaderSize = V2.HeaderSize,
            BitmapSize = bitmapSize,
            ChecksumCount = checksumCount,
            ExpectedImageSize = expectedSize,
        };
    }

    private static PartcloneHeader ParseV1(ReadOnlySpan<byte> header)
    {
        if (header.Length < V1.HeaderSize)
        {
            PartcloneThrowHelper.ThrowTruncated("header", 0, V1.HeaderSize, header.Length, null);
        }
        header = header[..V1.HeaderSize];

        uint blockSize = BinaryPrimitives.ReadUInt32LittleEndian(header[V1.BlockSize..]);
        ValidateBlockSize(blockSize, V1.BlockSize);

        ulong totalBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[V1.TotalBlocks..]);
        ValidateTotalBlocks(totalBlocks, V1.TotalBlocks);

        ulong usedBlocks = BinaryPrimitives.ReadUInt64LittleEndian(header[V1.UsedBlocks..]);
        ValidateUsedBlocks(usedBlocks, totalBlocks, V1.UsedBlocks);

        // device_size of format 0001 is unreliable (old 64-bit builds wrote wrong values); partclone 0.3
        // replaces it by total × block size, and so do we (docs/formats/partclone.md, "Format 0001").
        UInt128 partitionSize = (UInt128)totalBlocks * blockSize;
        if (partitionSize > long.MaxValue)
        {
            PartcloneThrowHelper.ThrowInvalid("total_blocks", V1.TotalBlocks,
                $"total_blocks {totalBlocks} × block_size {blockSize} = {partitionSize} exceeds the largest supported size {long.MaxValue}");
        }

        long total = (long)totalBlocks;
        long used = (long)usedBlocks;
        long dataStart = V1.HeaderSize + total + V1.BitmapMagicLength;
        long expectedSize = ExpectedSizeOrThrow(dataStart, used, blockSize, checked(used * V1.BlockCrcLength), V1.TotalBlocks);

        return new PartcloneHeader
        {
            FormatVersion = PartcloneImageVersion.V1,
            Magic = "partclone-image",
            FormatVersionText = "0001",
            FileSystem = ReadText(header.Slice(V1.FileSystem, V1.FileSystemLength)),
            DeviceSize = BinaryPrimitives.ReadUInt64LittleEndian(header[V1.DeviceSize..]),
            PartitionSize = (long)partitionSize,
            TotalBlocks = total,
            UsedBlocks = used,
            BlockSize = (int)blockSize,
            ChecksumMode = PartcloneChecksumMode.Crc32FirstByte,
            ChecksumSize = V1.BlockCrcLength,
            BlocksPerChecksum = 1,
            Reseed = false,
            BitmapMode = BitmapModeByte,
            HeaderSize = V1.HeaderSize,
            BitmapSize = total,
            ChecksumCount = used,
            ExpectedImageSize = expectedSize,
        };
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

    private static string ReadText(ReadOnlySpan<byte> field) => HeaderText.Escaped(HeaderText.BeforeNul(field));
}
