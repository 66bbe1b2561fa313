using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using M = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Main;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// The main header (docs/formats/partimage.md, "Main header"): 16384 packed bytes at logical offset 0, followed by
/// their signed-byte sum (docs/formats/partimage.md, "Checksums"). Describes the saved partition, the writer's host and
/// the image's compression.
/// </summary>
public readonly struct PartimageMainHeader
{
    /// <summary>Largest MBR count accepted: partimage stores one MBR per disk.</summary>
    public const uint MaxMbrCount = 1024;

    /// <summary><c>compression</c> value for gzip volumes.</summary>
    public const uint CompressionGzip = 1;

    /// <summary><c>compression</c> value for bzip2 volumes.</summary>
    public const uint CompressionBzip2 = 2;

    /// <summary>File-system name, e.g. <c>ext2fs</c>, <c>fat32</c>, <c>ntfs</c>.</summary>
    public string FileSystem { get; private init; }

    /// <summary>Free-text description (<c>-d</c> leaves it empty).</summary>
    public string Description { get; private init; }

    /// <summary>The device the partition was saved from.</summary>
    public string OriginalDevice { get; private init; }

    /// <summary>The first image file's name as written (no folder, no <c>.000</c>).</summary>
    public string FirstImageFile { get; private init; }

    /// <summary>uname of the writer: sysname, nodename, release, version, machine.</summary>
    public ImmutableArray<string> Uname { get; private init; }

    /// <summary>Compression the writer used: 0 none, 1 gzip, 2 bzip2.</summary>
    public uint Compression { get; private init; }

    /// <summary>Flags (0 in every image seen).</summary>
    public uint Flags { get; private init; }

    /// <summary>Creation time as stored, 11 values of the writer's <c>struct tm</c> (local time).</summary>
    public ImmutableArray<uint> CreationTimeFields { get; private init; }

    /// <summary>Bytes of the saved partition: the length of the reconstruction (docs/formats/partimage.md,
    /// "Reconstruction").</summary>
    public long PartitionSize { get; private init; }

    /// <summary>Host name of the writer.</summary>
    public string HostName { get; private init; }

    /// <summary>Image-format version text (<c>0.6.1</c>).</summary>
    public string ImageVersion { get; private init; }

    /// <summary>Number of MBR records after <c>MAGIC-BEGIN-MBRBACKUP</c>.</summary>
    public uint MbrCount { get; private init; }

    /// <summary>Bytes per MBR record (2048).</summary>
    public uint MbrSize { get; private init; }

    /// <summary>Encryption (0: none; partimage refuses anything else).</summary>
    public uint Encryption { get; private init; }

    /// <summary>The unused hash test key, hex.</summary>
    public string HashTestKey { get; private init; }

    /// <summary>The stored sum (after the 16384 header bytes).</summary>
    public uint StoredSum { get; private init; }

    /// <summary>The recomputed sum; equal to <see cref="StoredSum"/> (else Parse throws).</summary>
    public uint ComputedSum { get; private init; }

    /// <summary>Name of <see cref="Compression"/>.</summary>
    public string CompressionName => GetCompressionName(Compression);

    /// <summary>Creation time as <c>YYYY-MM-DD HH:MM:SS</c> in the writer's local time.</summary>
    public string CreationTime => CreationTimeFields.Length < 6 ? "" :
        $"{CreationTimeFields[5] + 1900:D4}-{CreationTimeFields[4] + 1:D2}-{CreationTimeFields[3]:D2} "
        + $"{CreationTimeFields[2]:D2}:{CreationTimeFields[1]:D2}:{CreationTimeFields[0]:D2}";

    /// <summary>
    /// Parses <paramref name="header"/>: the 16384 header bytes and the 4-byte sum after them. The sum is checked
    /// before any field is trusted (a mismatch is a checksum error, exit code 3); then compression, encryption,
    /// version, MBR count and size and partition size are validated. Offsets are logical-stream offsets (the main
    /// header starts at 0).
    /// </summary>
    public static PartimageMainHeader Parse(ReadOnlySpan<byte> header)
    {
        const int size = PartimageFieldOffsets.StructureSize;
        if (header.Length < size + PartimageFieldOffsets.HeaderSumLength)
        {
            throw new ArgumentException("The main header and its sum are 16388 bytes.", nameof(header));
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(header[size..]);
        uint computed = PartimageSums.SignedByteSum(header[..size]);
        if (stored != computed)
        {
            PartimageThrowHelper.ThrowChecksumMismatch("main header sum", size,
                $"stored 0x{stored:x8}, computed 0x{computed:x8} over the main header (logical bytes 0..{size - 1})");
        }

        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(header[M.Compression..]);
        if (compression > CompressionBzip2)
        {
            PartimageThrowHelper.ThrowInvalid("compression", M.Compression,
                $"value {compression} ({GetCompressionName(compression)}) is not supported; partimage writes 0 (none), 1 (gzip), 2 (bzip2)");
        }
        uint encryption = BinaryPrimitives.ReadUInt32LittleEndian(header[M.Encryption..]);
        if (encryption != 0)
        {
            PartimageThrowHelper.ThrowInvalid("encryption", M.Encryption, $"value {encryption}; only 0 (none) exists, partimage refuses others");
        }
        string version = PartimageText.Read(header.Slice(M.ImageVersion, M.ImageVersionLength));
        if (!PartimageVolumeHeader.IsSupportedVersion(version))
        {
            PartimageThrowHelper.ThrowInvalid("image version", M.ImageVersion,
                $"image-format version \"{version}\" is not supported (partimage 0.6.x reads 0.6.0 and 0.6.1)");
        }
        uint mbrCount = BinaryPrimitives.ReadUInt32LittleEndian(header[M.MbrCount..]);
        if (mbrCount > MaxMbrCount)
        {
            PartimageThrowHelper.ThrowInvalid("mbr_count", M.MbrCount, $"value {mbrCount} exceeds {MaxMbrCount} (one MBR per disk)");
        }
        uint mbrSize = BinaryPrimitives.ReadUInt32LittleEndian(header[M.MbrSize..]);
        if (mbrCount != 0 && mbrSize != PartimageFieldOffsets.Mbr.Size)
        {
            PartimageThrowHelper.ThrowInvalid("mbr_size", M.MbrSize,
                $"value {mbrSize} with {mbrCount} MBR records; partimage writes {PartimageFieldOffsets.Mbr.Size}");
        }
        ulong partitionSize = BinaryPrimitives.ReadUInt64LittleEndian(header[M.PartitionSize..]);
        if (partitionSize is 0 or > long.MaxValue)
        {
            PartimageThrowHelper.ThrowInvalid("partition size", M.PartitionSize, $"value {partitionSize} is outside 1..{long.MaxValue}");
        }

        var uname = ImmutableArray.CreateBuilder<string>(M.UnameFieldCount);
        for (int i = 0; i < M.UnameFieldCount; i++)
        {
            uname.Add(PartimageText.Read(header.Slice(M.Uname + (i * M.UnameFieldLength), M.UnameFieldLength)));
        }
        var time = ImmutableArray.CreateBuilder<uint>(M.CreationTimeFieldCount);
        for (int i = 0; i < M.CreationTimeFieldCount; i++)
        {
            time.Add(BinaryPrimitives.ReadUInt32LittleEndian(header[(M.CreationTime + (i * sizeof(uint)))..]));
        }

        return new PartimageMainHeader
        {
            FileSystem = PartimageText.Read(header.Slice(M.FileSystem, M.FileSystemLength)),
            Description = PartimageText.Read(header.Slice(M.Description, M.DescriptionLength)),
            OriginalDevice = PartimageText.Read(header.Slice(M.OriginalDevice, M.OriginalDeviceLength)),
            FirstImageFile = PartimageText.Read(header.Slice(M.FirstImageFile, M.FirstImageFileLength)),
            Uname = uname.MoveToImmutable(),
            Compression = compression,
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(header[M.Flags..]),
            CreationTimeFields = time.MoveToImmutable(),
            PartitionSize = (long)partitionSize,
            HostName = PartimageText.Read(header.Slice(M.HostName, M.HostNameLength)),
            ImageVersion = version,
            MbrCount = mbrCount,
            MbrSize = mbrSize,
            Encryption = encryption,
            HashTestKey = Convert.ToHexStringLower(header.Slice(M.HashTestKey, M.HashTestKeyLength)),
            StoredSum = stored,
            ComputedSum = computed,
        };
    }

    /// <summary>Name of a <c>compression</c> value.</summary>
    public static string GetCompressionName(uint compression) => compression switch
    {
        0 => "none",
        CompressionGzip => "gzip",
        CompressionBzip2 => "bzip2",
        3 => "lzo (never written by partimage)",
        _ => "unknown",
    };

    /// <summary>Every field for the report and <c>fpipe info</c>.</summary>
    public JsonObject Describe() => new()
    {
        ["fileSystem"] = FileSystem,
        ["description"] = Description,
        ["originalDevice"] = OriginalDevice,
        ["firstImageFile"] = FirstImageFile,
        ["unameSysname"] = Uname[0],
        ["unameNodename"] = Uname[1],
        ["unameRelease"] = Uname[2],
        ["unameVersion"] = Uname[3],
        ["unameMachine"] = Uname[4],
        ["compression"] = Compression,
        ["compressionName"] = CompressionName,
        ["flags"] = Flags,
        ["creationTime"] = CreationTime,
        ["creationTimeUtcOffsetSeconds"] = CreationTimeFields.Length > 9 ? (int)CreationTimeFields[9] : 0,
        ["creationTimeFields"] = new JsonArray([.. CreationTimeFields.Select(v => (JsonNode?)JsonValue.Create(v))]),
        ["partitionSize"] = PartitionSize,
        ["hostName"] = HostName,
        ["imageVersion"] = ImageVersion,
        ["mbrCount"] = MbrCount,
        ["mbrSize"] = MbrSize,
        ["encryption"] = Encryption,
        ["hashTestKey"] = HashTestKey,
        ["mainHeaderSum"] = new JsonObject
        {
            ["offset"] = PartimageFieldOffsets.StructureSize,
            ["stored"] = $"{StoredSum:x8}",
            ["computed"] = $"{ComputedSum:x8}",
        },
    };
}
