namespace ForensicPipe.Formats.Disk;

/// <summary>What a <see cref="DiskPiece"/> holds.</summary>
public enum DiskPieceKind
{
    /// <summary>A byte range of a file, copied as it is.</summary>
    Bytes,

    /// <summary>A partition image, reconstructed by its format's reader.</summary>
    Image,

    /// <summary>Plain partition bytes in a (possibly compressed) file, e.g. a partclone.dd image.</summary>
    RawImage,

    /// <summary>A swap header generated as mkswap writes it.</summary>
    Swap,
}
