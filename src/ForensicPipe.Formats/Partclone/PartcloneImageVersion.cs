namespace ForensicPipe.Formats.Partclone;

/// <summary>The partclone image format version (text at byte 30 of the header).</summary>
public enum PartcloneImageVersion
{
    /// <summary>The magic matches but the version text is neither <c>0001</c> nor <c>0002</c>.</summary>
    Unknown = 0,

    /// <summary><c>0001</c>: partclone &lt; 0.3, 4160-byte header, byte bitmap, buggy per-block CRC.</summary>
    V1 = 1,

    /// <summary><c>0002</c>: partclone ≥ 0.3, 110-byte header, bit bitmap with CRC, checksum groups.</summary>
    V2 = 2,
}
