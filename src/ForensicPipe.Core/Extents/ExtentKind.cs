namespace ForensicPipe.Core.Extents;

/// <summary>What an extent of the reconstructed partition or device holds.</summary>
public enum ExtentKind
{
    /// <summary>Bytes that were read; they travel in a pooled buffer.</summary>
    Data,

    /// <summary>Blocks the image does not contain (unused in the bitmap, ntfsclone gaps). Length only.</summary>
    Absent,

    /// <summary>A device range that could not be read after retries. Length and the error only.</summary>
    Unreadable,
}
