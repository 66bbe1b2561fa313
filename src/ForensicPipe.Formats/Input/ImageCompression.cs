namespace ForensicPipe.Formats.Input;

/// <summary>How an image file is compressed as a whole (docs/formats/compression-and-split.md): partimage
/// <c>-z1</c>/<c>-z2</c> volumes, or a partclone, ntfsclone or partimage image that Clonezilla piped through a
/// compressor.</summary>
public enum ImageCompression
{
    /// <summary>Not compressed.</summary>
    None,

    /// <summary>gzip (<c>1F 8B</c>), any number of members (gzip, pigz).</summary>
    Gzip,

    /// <summary>bzip2 (<c>BZh1</c>…<c>BZh9</c>), any number of streams.</summary>
    Bzip2,

    /// <summary>zstd (<c>28 B5 2F FD</c>, or a skippable frame first), any number of frames.</summary>
    Zstd,

    /// <summary>xz (<c>FD 37 7A 58 5A 00</c>), any number of blocks and streams.</summary>
    Xz,

    /// <summary>lz4 frame format (<c>04 22 4D 18</c>), any number of frames.</summary>
    Lz4,
}
