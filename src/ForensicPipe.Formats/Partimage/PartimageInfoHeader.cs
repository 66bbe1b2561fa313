using System.Buffers.Binary;
using System.Text.Json.Nodes;
using E = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Ext2Info;
using F = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.FatInfo;
using N = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.NtfsInfo;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// The file-system specific info header (docs/formats/partimage.md, "Bitmap and info header"): 16384 bytes and their
/// signed-byte sum after <c>MAGIC-BEGIN-INFO</c>. Not needed for reconstruction; its fields are reported for ext2/ext3,
/// FAT and NTFS.
/// </summary>
public readonly struct PartimageInfoHeader
{
    /// <summary>Bytes kept: every known field lies in the first 64.</summary>
    private const int KeptBytes = 64;

    private readonly byte[] _fields;

    private PartimageInfoHeader(byte[] fields, long offset, uint stored, uint computed)
    {
        _fields = fields;
        Offset = offset;
        StoredSum = stored;
        ComputedSum = computed;
    }

    /// <summary>Logical offset of the header's first byte.</summary>
    public long Offset { get; }

    /// <summary>The stored sum.</summary>
    public uint StoredSum { get; }

    /// <summary>The recomputed sum; equal to <see cref="StoredSum"/> (else Parse throws).</summary>
    public uint ComputedSum { get; }

    /// <summary>Parses the 16384 header bytes and their sum at logical offset <paramref name="offset"/>; a sum
    /// mismatch is a checksum error (exit code 3).</summary>
    public static PartimageInfoHeader Parse(ReadOnlySpan<byte> header, long offset)
    {
        const int size = PartimageFieldOffsets.StructureSize;
        if (header.Length < size + PartimageFieldOffsets.HeaderSumLength)
        {
            throw new ArgumentException("The info header and its sum are 16388 bytes.", nameof(header));
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(header[size..]);
        uint computed = PartimageSums.SignedByteSum(header[..size]);
        if (stored != computed)
        {
            PartimageThrowHelper.ThrowChecksumMismatch("info header sum", offset + size,
                $"stored 0x{stored:x8}, computed 0x{computed:x8} over the info header (logical bytes {offset}..{offset + size - 1})");
        }
        return new PartimageInfoHeader(header[..KeptBytes].ToArray(), offset, stored, computed);
    }

    /// <summary>The fields of the file system named <paramref name="fileSystem"/> (main header), plus the sum.</summary>
    public JsonObject Describe(string fileSystem)
    {
        ReadOnlySpan<byte> h = _fields;
        JsonObject json = fileSystem switch
        {
            "ext2fs" or "ext3fs" => new JsonObject
            {
                ["groupsCount"] = U32(h, E.GroupsCount),
                ["totalFsBlocks"] = U32(h, E.TotalBlocks),
                ["firstDataBlock"] = U32(h, E.FirstBlock),
                ["fsBlockSize"] = U32(h, E.BlockSize),
                ["logicalBlocksPerFsBlock"] = U32(h, E.LogicalBlocksPerFsBlock),
                ["blocksPerGroup"] = U32(h, E.BlocksPerGroup),
                ["featureCompat"] = $"0x{U32(h, E.FeatureCompat):x8}",
                ["featureIncompat"] = $"0x{U32(h, E.FeatureIncompat):x8}",
                ["featureRoCompat"] = $"0x{U32(h, E.FeatureRoCompat):x8}",
                ["revisionLevel"] = U32(h, E.RevisionLevel),
                ["uuid"] = new Guid(h.Slice(E.Uuid, E.UuidLength), bigEndian: true).ToString(),
                ["descriptorBlocks"] = U32(h, E.DescriptorBlocks),
                ["descriptorsPerBlock"] = U32(h, E.DescriptorsPerBlock),
            },
            "fat12" or "fat16" or "fat32" => new JsonObject
            {
                ["totalSectors"] = U32(h, F.TotalSectors),
                ["clusters"] = U32(h, F.Clusters),
                ["rootDirSectors"] = U32(h, F.RootDirSectors),
                ["rootEntries"] = U32(h, F.RootEntries),
                ["sectorsPerFat"] = U32(h, F.SectorsPerFat),
                ["dataSectors"] = U32(h, F.DataSectors),
                ["fatType"] = U32(h, F.FileSystem),
                ["usedClusters"] = U32(h, F.UsedClusters),
                ["damagedClusters"] = U32(h, F.DamagedClusters),
                ["freeClusters"] = U32(h, F.FreeClusters),
                ["bytesPerFatEntry"] = U32(h, F.BytesPerFatEntry),
                ["bytesPerSector"] = U16(h, F.BytesPerSector),
                ["reservedSectors"] = U16(h, F.ReservedSectors),
                ["rootEntries16"] = U16(h, F.RootEntries16),
                ["sectorsPerCluster"] = h[F.SectorsPerCluster],
                ["fatCount"] = h[F.FatCount],
                ["fsInfoSector"] = U16(h, F.FsInfoSector),
            },
            "ntfs" => new JsonObject
            {
                ["totalSectors"] = BinaryPrimitives.ReadUInt64LittleEndian(h[N.TotalSectors..]),
                ["mftLcn"] = BinaryPrimitives.ReadUInt64LittleEndian(h[N.MftLcn..]),
                ["fileRecordSize"] = U32(h, N.FileRecordSize),
                ["clusterSize"] = U32(h, N.ClusterSize),
                ["bytesPerSector"] = U16(h, N.BytesPerSector),
                ["ntfsVersion"] = $"0x{U16(h, N.Version):x4}",
                ["sectorsPerCluster"] = h[N.SectorsPerCluster],
            },
            _ => new JsonObject { ["first64Bytes"] = Convert.ToHexStringLower(h) },
        };
        json["infoHeaderSum"] = new JsonObject
        {
            ["offset"] = Offset + PartimageFieldOffsets.StructureSize,
            ["stored"] = $"{StoredSum:x8}",
            ["computed"] = $"{ComputedSum:x8}",
        };
        return json;
    }

    private static uint U32(ReadOnlySpan<byte> h, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(h[offset..]);

    private static ushort U16(ReadOnlySpan<byte> h, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(h[offset..]);
}
