namespace ForensicPipe.Formats.Clonezilla;

/// <summary>A partition of a saved disk and the files that hold it.</summary>
/// <param name="Table">Its line of the partition table dump.</param>
/// <param name="Role">What the folder holds for it.</param>
/// <param name="Files">Its image files in order (the pieces of a split set), names only; empty when none.</param>
public sealed record ClonezillaPartition(SfdiskPartition Table, ClonezillaPartitionRole Role, IReadOnlyList<string> Files)
{
    /// <summary>The partition's name (<c>sda1</c>).</summary>
    public string Name => Table.Name;

    /// <summary>The file system the image's name gives (<c>ext4</c>, <c>ntfs</c>, <c>dd</c>), or null.</summary>
    public string? FileSystem { get; init; }

    /// <summary>The tool the file name says wrote the image (<c>partclone</c>, <c>partclone.dd</c>, <c>ntfsclone</c>,
    /// <c>partimage</c>, <c>dd</c>), or null.</summary>
    public string? Tool { get; init; }

    /// <summary>The compression suffix of a partclone image's name (<c>gz</c>, <c>zst</c>, <c>uncomp</c>), or null
    /// (ntfsclone and partimage names carry none: only the magic says).</summary>
    public string? CompressionSuffix { get; init; }

    /// <summary>Whether the image holds the partition's bytes as they are (partclone.dd without -c, dd), not a format.</summary>
    public bool IsRaw => Tool is "partclone.dd" or "dd";

    /// <summary>The swap area's UUID from <c>swappt-&lt;part&gt;.info</c>, or null.</summary>
    public string? SwapUuid { get; init; }

    /// <summary>The swap area's label from <c>swappt-&lt;part&gt;.info</c>, or null.</summary>
    public string? SwapLabel { get; init; }

    /// <summary>Whether <c>swappt-&lt;part&gt;.info</c> exists.</summary>
    public bool HasSwapInfo { get; init; }
}
