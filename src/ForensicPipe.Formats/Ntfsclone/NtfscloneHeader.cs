using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;
using Offsets = ForensicPipe.Formats.Ntfsclone.NtfscloneFieldOffsets;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>
/// The validated header of an ntfsclone special image (docs/formats/ntfsclone.md, "Header" and "Versions").
/// Reconstruction of the partition: <see cref="DeviceSize"/> bytes, cluster <c>n</c> at byte <c>n ×
/// <see cref="ClusterSize"/></c>.
/// </summary>
public sealed class NtfscloneHeader
{
    /// <summary>The newest major version there is; ntfsclone refuses newer ones, and so do we.</summary>
    public const int CurrentMajorVersion = 10;

    /// <summary>Smallest NTFS cluster (one 512-byte sector).</summary>
    public const int MinClusterSize = 512;

    /// <summary>Largest NTFS cluster (2 MiB, Windows 10 1709 and later).</summary>
    public const int MaxClusterSize = 2 << 20;

    /// <summary>Every known writer puts the data at byte 56; the padding before it is skipped unread (the 2006
    /// writer filled it with stray bytes). A larger offset is taken as corruption rather than skipped blindly.</summary>
    public const int MaxDataOffset = 64 * 1024;

    private NtfscloneHeader()
    {
    }

    /// <summary>Major version: 10 for every ntfsclone since 2006; below 10 the NTFS version of old writers.</summary>
    public int MajorVersion { get; private init; }

    /// <summary>Minor version: 0 (2006–2011) or 1 (with the backup boot sector record).</summary>
    public int MinorVersion { get; private init; }

    /// <summary>Version as <c>major.minor</c>.</summary>
    public string Version => $"{MajorVersion}.{MinorVersion}";

    /// <summary>Bytes per NTFS cluster.</summary>
    public int ClusterSize { get; private init; }

    /// <summary>Bytes of the whole source device (including the sector after the NTFS volume): the size of the
    /// reconstructed partition.</summary>
    public long DeviceSize { get; private init; }

    /// <summary>Clusters of the NTFS volume (<c>nr_clusters</c>).</summary>
    public long ClusterCount { get; private init; }

    /// <summary>Clusters in use according to the writer. Informational only: metadata images and old writers do
    /// not match it (docs/formats/README.md, "Rules every reader keeps": counts to distrust).</summary>
    public long ClustersInUse { get; private init; }

    /// <summary>Image offset of the first record.</summary>
    public long DataOffset { get; private init; }

    /// <summary>Bytes of the NTFS volume: <see cref="ClusterCount"/> × <see cref="ClusterSize"/>.</summary>
    public long VolumeSize => ClusterCount * ClusterSize;

    /// <summary>Format 10.1 and later end with a record for cluster <see cref="ClusterCount"/>, the partial cluster
    /// holding the backup boot sector (docs/formats/ntfsclone.md, "Versions").</summary>
    public bool HasBackupBootSectorRecord => MajorVersion == CurrentMajorVersion && MinorVersion >= 1;

    /// <summary>Bytes of the header of an image with major version <paramref name="majorVersion"/> (byte 16).</summary>
    public static int GetHeaderSize(byte majorVersion) => majorVersion >= CurrentMajorVersion ? Offsets.HeaderSize : Offsets.LegacyDataStart;

    /// <summary>Payload length of cluster <paramref name="cluster"/>: a full cluster, or for the last one, which
    /// reaches the end of the device, the bytes up to <see cref="DeviceSize"/> (docs/formats/ntfsclone.md,
    /// "Record stream").</summary>
    public long GetPayloadLength(long cluster) =>
        (cluster + 1) * ClusterSize >= DeviceSize ? DeviceSize - (cluster * ClusterSize) : ClusterSize;

    /// <summary>Parses and validates the header at the start of <paramref name="header"/>
    /// (<see cref="GetHeaderSize"/> bytes). Throws <see cref="Core.Errors.ImageFormatException"/> naming the field,
    /// the value and its offset.</summary>
    public static NtfscloneHeader Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < Offsets.MagicLength || !NtfscloneDetector.TryDetect(header))
        {
            NtfscloneThrowHelper.ThrowInvalid("magic", Offsets.Magic,
                $"expected \"\\0ntfsclone-image\", found {Convert.ToHexStringLower(header[..Math.Min(Offsets.MagicLength, header.Length)])}");
        }
        int headerSize = header.Length > Offsets.MajorVersion ? GetHeaderSize(header[Offsets.MajorVersion]) : Offsets.HeaderSize;
        if (header.Length < headerSize)
        {
            NtfscloneThrowHelper.ThrowTruncated("header", 0, headerSize, header.Length);
        }

        byte major = header[Offsets.MajorVersion];
        byte minor = header[Offsets.MinorVersion];
        if (major > CurrentMajorVersion)
        {
            NtfscloneThrowHelper.ThrowInvalid("major version", Offsets.MajorVersion,
                $"version {major}.{minor} is newer than the 10.x this reader (and ntfsclone) understands");
        }

        uint clusterSize = BinaryPrimitives.ReadUInt32LittleEndian(header[Offsets.ClusterSize..]);
        if (clusterSize is < MinClusterSize or > MaxClusterSize || !BitOperations.IsPow2(clusterSize))
        {
            NtfscloneThrowHelper.ThrowInvalid("cluster_size", Offsets.ClusterSize,
                $"{clusterSize} is not a power of two from {MinClusterSize} to {MaxClusterSize}");
        }

        ulong deviceSize = BinaryPrimitives.ReadUInt64LittleEndian(header[Offsets.DeviceSize..]);
        if (deviceSize is 0 or > long.MaxValue / 2)
        {
            NtfscloneThrowHelper.ThrowInvalid("device_size", Offsets.DeviceSize, $"{deviceSize} bytes is not a device size");
        }

        long clusterCount = BinaryPrimitives.ReadInt64LittleEndian(header[Offsets.ClusterCount..]);
        if (clusterCount <= 0 || clusterCount > (long)deviceSize / clusterSize)
        {
            NtfscloneThrowHelper.ThrowInvalid("nr_clusters", Offsets.ClusterCount,
                $"{clusterCount} clusters of {clusterSize} bytes do not fit the device of {deviceSize} bytes");
        }

        ulong inUse = BinaryPrimitives.ReadUInt64LittleEndian(header[Offsets.ClustersInUse..]);
        if (inUse > (ulong)clusterCount + 1)
        {
            NtfscloneThrowHelper.ThrowInvalid("inuse", Offsets.ClustersInUse, $"{inUse} clusters in use of {clusterCount}");
        }

        long dataOffset = Offsets.LegacyDataStart;
        if (major >= CurrentMajorVersion)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(header[Offsets.DataOffset..]);
            if (offset is < Offsets.HeaderSize or > MaxDataOffset)
            {
                NtfscloneThrowHelper.ThrowInvalid("offset_to_image_data", Offsets.DataOffset,
                    $"{offset} is outside {Offsets.HeaderSize}..{MaxDataOffset}");
            }
            dataOffset = offset;
        }

        return new NtfscloneHeader
        {
            MajorVersion = major,
            MinorVersion = minor,
            ClusterSize = (int)clusterSize,
            DeviceSize = (long)deviceSize,
            ClusterCount = clusterCount,
            ClustersInUse = (long)inUse,
            DataOffset = dataOffset,
        };
    }

    /// <summary>Every header field, for <c>fpipe info</c> and the report.</summary>
    public JsonObject Describe() => new()
    {
        ["magic"] = "\\0ntfsclone-image",
        ["version"] = Version,
        ["majorVersion"] = MajorVersion,
        ["minorVersion"] = MinorVersion,
        ["clusterSize"] = ClusterSize,
        ["deviceSize"] = DeviceSize,
        ["clusterCount"] = ClusterCount,
        ["volumeSize"] = VolumeSize,
        ["clustersInUse"] = ClustersInUse,
        ["dataOffset"] = DataOffset,
        ["backupBootSectorRecord"] = HasBackupBootSectorRecord,
    };
}
