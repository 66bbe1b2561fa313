using System.Buffers.Binary;
using V1 = ForensicPipe.Formats.Partclone.PartcloneFieldOffsets.V1;

namespace ForensicPipe.Formats.Partclone;

// Format 0001: the 4160-byte header without a CRC (docs/formats/partclone.md, "Format 0001").
public sealed partial class PartcloneHeader
{
    private static PartcloneHeader ParseV1(ReadOnlySpan<byte> header)
    {
        header = WholeHeader(header, V1.HeaderSize);

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
}
