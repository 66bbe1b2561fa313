namespace ForensicPipe.Core.Verification;

/// <summary>
/// Tally of an image's checksums: counts of passes and every mismatch in full. Written by readers (for
/// headers they check while parsing) and by the verify stage; thread-safe.
/// </summary>
public sealed class VerificationLog
{
    /// <summary>At most this many mismatches are kept in full; the rest are only counted, so a badly
    /// damaged image cannot make the report unbounded.</summary>
    public const int MaxMismatchesKept = 1000;

    private readonly Lock _lock = new();
    private readonly List<ChecksumResult> _mismatches = [];
    private long _checked;
    private long _mismatchCount;

    /// <summary>Checksums compared so far.</summary>
    public long Checked { get { lock (_lock) { return _checked; } } }

    /// <summary>Checksums that did not match.</summary>
    public long MismatchCount { get { lock (_lock) { return _mismatchCount; } } }

    /// <summary>The first <see cref="MaxMismatchesKept"/> mismatches.</summary>
    public IReadOnlyList<ChecksumResult> Mismatches { get { lock (_lock) { return [.. _mismatches]; } } }

    /// <summary>Called for each mismatch as it is recorded (the verify stage uses it to fail fast).</summary>
    public event Action<ChecksumResult>? MismatchRecorded;

    /// <summary>Records one comparison.</summary>
    public void Record(ChecksumResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool mismatch = !result.Matches;
        lock (_lock)
        {
            _checked++;
            if (mismatch)
            {
                _mismatchCount++;
                if (_mismatches.Count < MaxMismatchesKept)
                {
                    _mismatches.Add(result);
                }
            }
        }
        if (mismatch)
        {
            MismatchRecorded?.Invoke(result);
        }
    }

    /// <summary>Records a passing comparison without building a result (the hot path of group checks).</summary>
    public void RecordMatch()
    {
        lock (_lock)
        {
            _checked++;
        }
    }
}
