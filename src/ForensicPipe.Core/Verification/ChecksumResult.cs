namespace ForensicPipe.Core.Verification;

/// <summary>The outcome of one stored checksum.</summary>
/// <param name="Kind">What was checked (<c>header</c>, <c>bitmap</c>, <c>group</c>, <c>CHK</c>, <c>tail</c>).</param>
/// <param name="Index">Number of the group or record (0-based), or -1 for a single structure.</param>
/// <param name="ImageOffset">Offset of the stored value in the image file (logical stream).</param>
/// <param name="PartitionOffset">First partition byte the checksum covers, or -1 when it covers no partition
/// bytes (headers).</param>
/// <param name="Expected">The stored value, hex.</param>
/// <param name="Actual">The computed value, hex.</param>
public sealed record ChecksumResult(string Kind, long Index, long ImageOffset, long PartitionOffset, string Expected, string Actual)
{
    /// <summary>Whether the stored and computed values agree.</summary>
    public bool Matches => string.Equals(Expected, Actual, StringComparison.OrdinalIgnoreCase);

    /// <summary>One line for errors and the text report.</summary>
    public override string ToString() =>
        $"{Kind}{(Index >= 0 ? $" {Index}" : "")} stored at image byte {ImageOffset}"
        + (PartitionOffset >= 0 ? $" (partition byte {PartitionOffset})" : "")
        + $": expected {Expected}, computed {Actual}";
}
