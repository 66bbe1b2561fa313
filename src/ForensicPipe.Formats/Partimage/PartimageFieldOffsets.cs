namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Named offsets and lengths of partimage 0.6.x structures (docs/formats/partimage.md), from the start of each
/// structure. All integers are little-endian; no magic string is NUL terminated.
/// </summary>
internal static class PartimageFieldOffsets
{
    /// <summary>Size of the "CRC" (signed-byte sum, docs/formats/partimage.md, "Checksums") stored after the main,
    /// local and info headers.</summary>
    public const int HeaderSumLength = 4;

    /// <summary>Size of the main, local, info and tail structures.</summary>
    public const int StructureSize = 16384;

    /// <summary>Volume header at the start of every volume file (docs/formats/partimage.md, "Volume header"), 512
    /// bytes, packed.</summary>
    public static class Volume
    {
        public const int Size = 512;
        public const int Magic = 0;
        public const int MagicLength = 32;
        public const int Version = 32;
        public const int VersionLength = 64;
        public const int Number = 96;
        public const int Identifier = 100;
        public const int Reserved = 108;
    }

    /// <summary>Main header (docs/formats/partimage.md, "Main header"), 16384 bytes, packed; its sum follows
    /// it.</summary>
    public static class Main
    {
        public const int FileSystem = 0;
        public const int FileSystemLength = 512;
        public const int Description = 512;
        public const int DescriptionLength = 4096;
        public const int OriginalDevice = 4608;
        public const int OriginalDeviceLength = 512;
        public const int FirstImageFile = 5120;
        public const int FirstImageFileLength = 4095;
        public const int Uname = 9215;

        /// <summary>Each of the five uname fields (sysname, nodename, release, version, machine).</summary>
        public const int UnameFieldLength = 65;
        public const int UnameFieldCount = 5;
        public const int Compression = 9540;
        public const int Flags = 9544;
        public const int CreationTime = 9548;

        /// <summary>11 × u32: sec, min, hour, mday, mon (0-based), year−1900, wday, yday, isdst, gmtoff, 0.</summary>
        public const int CreationTimeFieldCount = 11;
        public const int PartitionSize = 9592;
        public const int HostName = 9600;
        public const int HostNameLength = 128;
        public const int ImageVersion = 9728;
        public const int ImageVersionLength = 64;
        public const int MbrCount = 9792;
        public const int MbrSize = 9796;
        public const int Encryption = 9800;
        public const int HashTestKey = 9804;
        public const int HashTestKeyLength = 16;
        public const int ReservedDwords = 9820;
        public const int ReservedDwordCount = 10;
        public const int Reserved = 9860;
    }

    /// <summary>MBR record (docs/formats/partimage.md, "Logical stream"; from the sources only: loop devices store
    /// none), 2048 bytes.</summary>
    public static class Mbr
    {
        public const int Size = 2048;
        public const int Sector = 0;
        public const int SectorLength = 512;
        public const int SectorSum = 512;
        public const int Device = 516;
        public const int DeviceLength = 512;
        public const int BlockCount = 1028;
        public const int Model = 1036;
        public const int ModelLength = 128;
    }

    /// <summary>Local header (docs/formats/partimage.md, "Local header"), 16384 bytes; its sum follows it.</summary>
    public static class Local
    {
        public const int BlockSize = 0;
        public const int UsedBlocks = 8;
        public const int BlockCount = 16;
        public const int BitmapSize = 24;
        public const int BadBlocks = 32;
        public const int Label = 40;
        public const int LabelLength = 64;
    }

    /// <summary>The extension records between the MBRs and the local header (docs/formats/partimage.md,
    /// "Logical stream"): magic + u32 length + payload.</summary>
    public static class Extension
    {
        public const int Count = 10;
        public const int LengthFieldSize = 4;
    }

    /// <summary>CHK record (docs/formats/partimage.md, "Data blocks and CHK records"), 16 bytes after every 65536 data
    /// bytes.</summary>
    public static class Chk
    {
        public const int Size = 16;
        public const int Magic = 0;
        public const int Crc = 4;
        public const int Position = 8;

        /// <summary>Data bytes covered by one CHK record.</summary>
        public const int Interval = 65536;

        /// <summary>partimage copies saved blocks in runs of at most this many bytes (COPYBUF_SIZE); the CHK
        /// position field is the first block of such a run (docs/formats/partimage.md,
        /// "Data blocks and CHK records").</summary>
        public const int RunBytes = 262144;
    }

    /// <summary>Tail (docs/formats/partimage.md, "Tail"), 16384 bytes after <c>MAGIC-BEGIN-TAIL</c>.</summary>
    public static class Tail
    {
        public const int GlobalSum = 0;
        public const int LastVolume = 8;
        public const int Reserved = 12;
    }

    /// <summary>Info header fields for ext2/ext3 (<c>CInfoExt2Header</c>, docs/formats/partimage.md,
    /// "Bitmap and info header").</summary>
    public static class Ext2Info
    {
        public const int GroupsCount = 0;
        public const int TotalBlocks = 4;
        public const int FirstBlock = 8;
        public const int BlockSize = 12;
        public const int LogicalBlocksPerFsBlock = 16;
        public const int BlocksPerGroup = 20;
        public const int FeatureCompat = 24;
        public const int FeatureIncompat = 28;
        public const int FeatureRoCompat = 32;
        public const int RevisionLevel = 36;
        public const int Uuid = 40;
        public const int UuidLength = 16;
        public const int DescriptorBlocks = 56;
        public const int DescriptorsPerBlock = 60;
    }

    /// <summary>Info header fields for FAT (<c>CInfoFatHeader</c>, docs/formats/partimage.md,
    /// "Bitmap and info header").</summary>
    public static class FatInfo
    {
        public const int TotalSectors = 0;
        public const int Clusters = 4;
        public const int RootDirSectors = 8;
        public const int RootEntries = 12;
        public const int SectorsPerFat = 16;
        public const int DataSectors = 20;
        public const int FileSystem = 24;
        public const int UsedClusters = 28;
        public const int DamagedClusters = 32;
        public const int FreeClusters = 36;
        public const int BytesPerFatEntry = 40;
        public const int BytesPerSector = 48;
        public const int ReservedSectors = 50;
        public const int RootEntries16 = 52;
        public const int SectorsPerCluster = 54;
        public const int FatCount = 55;
        public const int FsInfoSector = 56;
    }

    /// <summary>Info header fields for NTFS (<c>CInfoNtfsHeader</c>, docs/formats/partimage.md,
    /// "Bitmap and info header").</summary>
    public static class NtfsInfo
    {
        public const int TotalSectors = 0;
        public const int MftLcn = 8;
        public const int FileRecordSize = 16;
        public const int ClusterSize = 20;
        public const int BytesPerSector = 24;
        public const int Version = 26;
        public const int SectorsPerCluster = 28;
    }
}
