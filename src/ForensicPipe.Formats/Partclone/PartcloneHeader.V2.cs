using System.Buffers.Binary;
using ForensicPipe.Formats.Checksums;
using V2 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V2;

namespace ForensicPipe.Formats.Partclone;

// Format 0002: the 110-byte header with its CRC (docs/formats/partclone.md, "Format 0002: header").
public sealed partial class PartcloneHeader
{
    private static PartcloneHeader ParseV2(ReadOnlySpan<byte> header)
    {
        header = WholeHeader(header, V2.HeaderSize);

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
}
