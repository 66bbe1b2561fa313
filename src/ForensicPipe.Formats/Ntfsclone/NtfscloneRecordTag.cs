namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>The first byte of each record of the image stream (docs/formats/ntfsclone.md, "Record stream").</summary>
internal enum NtfscloneRecordTag : byte
{
    /// <summary>A signed 64-bit cluster count follows: the current cluster number moves by it.</summary>
    Gap = 0x00,

    /// <summary>The payload of the current cluster follows; the cluster number then moves by one.</summary>
    Next = 0x01,
}
