namespace ForensicPipe.Formats.Clonezilla;

/// <summary>What a folder holds for a partition of its table.</summary>
public enum ClonezillaPartitionRole
{
    /// <summary>A partition image (partclone, partclone.dd, ntfsclone, partimage, dd).</summary>
    Image,

    /// <summary>A swap partition: not imaged; restoredisk recreates it with mkswap.</summary>
    Swap,

    /// <summary>A dos extended partition: a container of logical partitions; only its EBR is saved.</summary>
    Extended,

    /// <summary>A partition that is listed as saved but whose image file is missing.</summary>
    Missing,

    /// <summary>A partition that was not saved (not in the folder's <c>parts</c>).</summary>
    NotSaved,
}
