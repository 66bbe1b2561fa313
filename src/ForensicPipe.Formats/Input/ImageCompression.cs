namespace ForensicPipe.Formats.Input;

/// <summary>How an image file is compressed as a whole (docs/formats/README.md, "Compression wrappers"): partimage
/// <c>-z1</c>/<c>-z2</c> volumes, or a partclone or ntfsclone image that was piped through gzip or bzip2.</summary>
public enum ImageCompression
{
    /// <summary>Not compressed.</summary>
    None,

    /// <summary>gzip (<c>1F 8B</c>).</summary>
    Gzip,

    /// <summary>bzip2 (<c>BZh1</c>…<c>BZh9</c>).</summary>
    Bzip2,

    /// <summary>zstd, xz or lz4 (Clonezilla's other wrappers): recognised, not decompressed here.</summary>
    Unsupported,
}
