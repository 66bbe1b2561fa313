namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// Named offsets and lengths of the partclone image header fields, from the start of the image file
/// (docs/formats/partclone.md, "Format 0002: header" and "Format 0001"). All integers are little-endian.
/// </summary>
internal static class PartcloneFieldOffsets
{
    /// <summary>"partclone-image" without its terminator: the common magic of both versions.</summary>
    public const int MagicLength = 15;

    /// <summary>Format version text (<c>0001</c>, <c>0002</c>), at the same place in both versions.</summary>
    public const int FormatVersion = 30;

    /// <summary>Length of the format version text.</summary>
    public const int FormatVersionLength = 4;

    /// <summary>Format 0002 (partclone ≥ 0.3): <c>image_desc_v2</c> in <c>src/partclone.h</c>.</summary>
    public static class V2
    {
        public const int HeaderSize = 110;
        public const int Magic = 0;
        public const int MagicFieldLength = 16;
        public const int PartcloneVersion = 16;
        public const int PartcloneVersionLength = 14;
        public const int Endianness = 34;
        public const int FileSystem = 36;
        public const int FileSystemLength = 16;
        public const int DeviceSize = 52;
        public const int TotalBlocks = 60;
        public const int SuperblockUsedBlocks = 68;
        public const int UsedBlocks = 76;
        public const int BlockSize = 84;
        public const int FeatureSize = 88;
        public const int ImageVersion = 92;
        public const int CpuBits = 94;
        public const int ChecksumMode = 96;
        public const int ChecksumSize = 98;
        public const int BlocksPerChecksum = 100;
        public const int Reseed = 104;
        public const int BitmapMode = 105;

        /// <summary>pc-crc over bytes <c>0 .. HeaderCrc - 1</c>; only here when feature_size is 18.</summary>
        public const int HeaderCrc = 106;

        /// <summary>The bit bitmap follows the header; its pc-crc follows the bitmap.</summary>
        public const int Bitmap = HeaderSize;

        /// <summary>Size of the bitmap CRC after the bitmap.</summary>
        public const int BitmapCrcLength = 4;

        /// <summary>The only feature (options block) size known: bytes 88..105.</summary>
        public const int ExpectedFeatureSize = 18;
    }

    /// <summary>Format 0001 (partclone &lt; 0.3): <c>image_desc_v1</c>, written in x86 byte order.</summary>
    public static class V1
    {
        public const int HeaderSize = 4160;
        public const int Magic = 0;
        public const int FileSystem = 15;
        public const int FileSystemLength = 15;
        public const int BlockSize = 36;
        public const int DeviceSize = 40;
        public const int TotalBlocks = 48;
        public const int UsedBlocks = 56;

        /// <summary>The byte bitmap (one byte per block) follows the header, then <c>BiTmAgIc</c>.</summary>
        public const int Bitmap = HeaderSize;

        /// <summary>Length of <c>BiTmAgIc</c>.</summary>
        public const int BitmapMagicLength = 8;

        /// <summary>Size of the buggy CRC after every block.</summary>
        public const int BlockCrcLength = 4;
    }
}
