namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>Byte offsets and lengths of the ntfsclone special-image header and records (docs/formats/ntfsclone.md,
/// "Header" and "Record stream").
/// All integers are little-endian.</summary>
internal static class NtfscloneFieldOffsets
{
    public const int Magic = 0;
    public const int MagicLength = 16;
    public const int MajorVersion = 16;
    public const int MinorVersion = 17;
    public const int ClusterSize = 18;
    public const int DeviceSize = 22;
    public const int ClusterCount = 30;
    public const int ClustersInUse = 38;
    public const int DataOffset = 46;

    /// <summary>Header of format 10.x, up to and including the data-offset field.</summary>
    public const int HeaderSize = 50;

    /// <summary>Images of major version &lt; 10 (before 2006) have no data-offset field: data starts here.</summary>
    public const int LegacyDataStart = 46;

    public const int RecordTagLength = 1;
    public const int GapCountLength = 8;
}
