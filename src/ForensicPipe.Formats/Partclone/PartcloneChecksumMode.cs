namespace ForensicPipe.Formats.Partclone;

/// <summary>The data checksum of a partclone image: <c>checksum_mode</c> at byte 96 of a 0002 header.</summary>
public enum PartcloneChecksumMode
{
    /// <summary><c>0x00</c>: no data checksums (<c>-a0</c>).</summary>
    None = 0x00,

    /// <summary><c>0x20</c>: pc-crc (CRC-32 without final inversion) per group of blocks.</summary>
    Crc32 = 0x20,

    /// <summary><c>0x30</c>: XXH64, seed 0, stored as a little-endian u64 (partclone ≥ 0.3.39, <c>-a2</c>).</summary>
    XxHash64 = 0x30,

    /// <summary><c>0x31</c>: XXH3-128, seed 0, default secret, stored as <c>{low64, high64}</c>, each little-endian
    /// (partclone ≥ 0.3.46, <c>-a3</c>; Clonezilla's default since 2026-04).</summary>
    Xxh3128 = 0x31,

    /// <summary><c>0xFF</c> (partclone's <c>CSM_CRC32_0001</c>): the buggy first-byte CRC of format 0001,
    /// one per block. Never stored in a header; implied by format 0001.</summary>
    Crc32FirstByte = 0xFF,
}
