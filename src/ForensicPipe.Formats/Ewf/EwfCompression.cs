namespace ForensicPipe.Formats.Ewf;

/// <summary>How the chunks of a written set are compressed; stored as the volume's compression level.</summary>
public enum EwfCompression
{
    /// <summary>Every chunk stored as it is, with its Adler-32 (volume level 0).</summary>
    None,

    /// <summary>zlib level 1 (volume level 1, "good (fast)" in ewfinfo).</summary>
    Fast,

    /// <summary>zlib level 9 (volume level 2).</summary>
    Best,
}
