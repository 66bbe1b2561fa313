using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;

namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>
/// Decides which hash algorithms share a thread. With no more algorithms than processors each gets a
/// consumer (and a thread) of its own. With more, they are packed into as many groups as there are
/// processors, balanced by cost with the longest-processing-time rule: costs in descending order, each to
/// the group with the least cost so far. On the project's 2-core VM, md5 + sha1 + sha256 as three threads
/// time-sliced md5 (about 844 MB/s, serial by nature) against sha1 (about 2 GB/s with SHA-NI) and sha256
/// (about 1.9 GB/s), and each extra thread costs a wake-up per 1 MiB buffer; sha1 + sha256 on one thread
/// and md5 on the other took 3.41 s instead of 3.50 s for 2 GiB (medians of 6 alternated runs) and 0.2 s
/// less CPU.
/// </summary>
/// <remarks>
/// Costs are measured (<see cref="MeasureCost"/>), not assumed: relative speeds depend on the CPU. With
/// SHA-NI, sha1 and sha256 are 2.3× faster than md5 on that VM; without it sha256 is about 2× slower than md5.
/// </remarks>
public static class HashThreadPlan
{
    /// <summary>Bytes hashed per timing: one buffer of the default size.</summary>
    public const int CalibrationBytes = 1 << 20;

    // Enough to load the provider and fill the caches before the timed runs, and small next to them.
    private const int WarmUpBytes = 64 * 1024;

    private const int TimedRuns = 3;

    // The largest digest (SHA-512).
    private const int MaxDigestBytes = 64;

    /// <summary>
    /// Splits <paramref name="items"/> into the groups that share a thread. With at most
    /// <paramref name="processorCount"/> items every item is a group of its own and
    /// <paramref name="costOf"/> is not called. Otherwise there are <paramref name="processorCount"/>
    /// groups, none empty, balanced by the longest-processing-time rule (ties go to the group with fewer
    /// members, then to the earlier one). Members keep the order of <paramref name="items"/>, and groups are
    /// ordered by their first member.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<T>> Group<T>(IReadOnlyList<T> items, int processorCount, Func<T, double> costOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(processorCount, 1);
        ArgumentNullException.ThrowIfNull(costOf);
        if (items.Count <= processorCount)
        {
            return [.. items.Select(item => (IReadOnlyList<T>)[item])];
        }

        var costs = new double[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            double cost = costOf(items[i]);
            if (!double.IsFinite(cost) || cost < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(costOf), cost, $"the cost of item {i} is not a finite number ≥ 0");
            }
            costs[i] = cost;
        }

        var members = new List<int>[processorCount];
        var loads = new double[processorCount];
        for (int g = 0; g < processorCount; g++)
        {
            members[g] = [];
        }
        // OrderByDescending is stable: equal costs keep the job's order.
        foreach (int item in Enumerable.Range(0, items.Count).OrderByDescending(i => costs[i]))
        {
            int lightest = 0;
            for (int g = 1; g < processorCount; g++)
            {
                if (loads[g] < loads[lightest] || (loads[g] == loads[lightest] && members[g].Count < members[lightest].Count))
                {
                    lightest = g;
                }
            }
            members[lightest].Add(item);
            loads[lightest] += costs[item];
        }
        return [.. members
            .Select(group => group.Order().ToList())
            .OrderBy(group => group[0])
            .Select(group => (IReadOnlyList<T>)[.. group.Select(i => items[i])])];
    }

    /// <summary>
    /// Seconds <paramref name="algorithm"/> takes to hash <see cref="CalibrationBytes"/> on this machine:
    /// the best of three timings after a short warm-up, through <see cref="IncrementalHash"/> as the
    /// hashers use it. On the 2-core VM with SHA-NI one timing is 1.36 ms for md5, 0.57 ms for sha1 and
    /// sha256, 1.0 ms for sha384 and sha512: 15 ms for all five, 7 ms for md5 + sha1 + sha256.
    /// </summary>
    public static double MeasureCost(string algorithm)
    {
        HashAlgorithmName name = HashAlgorithmKind.ToBcl(algorithm);
        // Hashing speed does not depend on the bytes, so the rented buffer's contents do not matter; the
        // digests are thrown away.
        byte[] rented = ArrayPool<byte>.Shared.Rent(CalibrationBytes);
        try
        {
            ReadOnlySpan<byte> sample = rented.AsSpan(0, CalibrationBytes);
            Span<byte> digest = stackalloc byte[MaxDigestBytes];
            using var hash = IncrementalHash.CreateHash(name);
            hash.AppendData(sample[..WarmUpBytes]);
            hash.GetHashAndReset(digest);
            long best = long.MaxValue;
            for (int run = 0; run < TimedRuns; run++)
            {
                long start = Stopwatch.GetTimestamp();
                hash.AppendData(sample);
                hash.GetHashAndReset(digest);
                best = Math.Min(best, Stopwatch.GetTimestamp() - start);
            }
            return (double)best / Stopwatch.Frequency;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
