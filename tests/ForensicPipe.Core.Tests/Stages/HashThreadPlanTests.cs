using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Core.Tests.Stages;

public class HashThreadPlanTests
{
    // Relative costs as measured on the project's 2-core VM with SHA-NI (md5 844 MB/s, sha1 2 GB/s,
    // sha256 1.9 GB/s), and a CPU without SHA-NI where sha256 is about twice as slow as md5.
    private static readonly Dictionary<string, double> s_shaNi = new()
    {
        ["md5"] = 1.0, ["sha1"] = 0.41, ["sha256"] = 0.43, ["sha384"] = 0.73, ["sha512"] = 0.74,
    };

    private static readonly Dictionary<string, double> s_noShaNi = new() { ["md5"] = 1.0, ["sha1"] = 0.8, ["sha256"] = 2.0 };

    private static string[][] Group(string[] algorithms, int processors, Dictionary<string, double> costs) =>
        [.. HashThreadPlan.Group(algorithms, processors, name => costs[name]).Select(group => group.ToArray())];

    [Fact]
    public void Group_ThreeAlgorithmsOnTwoProcessorsWithShaNi_Md5AloneShasTogether()
    {
        Assert.Equal([["md5"], ["sha1", "sha256"]], Group(["md5", "sha1", "sha256"], 2, s_shaNi));
    }

    [Fact]
    public void Group_ThreeAlgorithmsOnTwoProcessorsWithoutShaNi_Sha256Alone()
    {
        Assert.Equal([["md5", "sha1"], ["sha256"]], Group(["md5", "sha1", "sha256"], 2, s_noShaNi));
    }

    [Fact]
    public void Group_FiveAlgorithmsOnTwoProcessors_LongestProcessingTimeBalance()
    {
        // Descending: md5 1.0 → A; sha512 0.74 → B; sha384 0.73 → B (0.74 < 1.0); sha256 0.43 → A
        // (1.0 < 1.47); sha1 0.41 → A (1.43 < 1.47). Loads 1.84 and 1.47.
        string[][] groups = Group(["md5", "sha1", "sha256", "sha384", "sha512"], 2, s_shaNi);

        Assert.Equal([["md5", "sha1", "sha256"], ["sha384", "sha512"]], groups);
    }

    [Fact]
    public void Group_FiveAlgorithmsOnThreeProcessors_NoGroupEmptyAndEveryAlgorithmOnce()
    {
        string[] algorithms = ["md5", "sha1", "sha256", "sha384", "sha512"];

        string[][] groups = Group(algorithms, 3, s_shaNi);

        Assert.Equal(3, groups.Length);
        Assert.All(groups, group => Assert.NotEmpty(group));
        Assert.Equal(algorithms, groups.SelectMany(group => group).Order());
        // md5 alone; the two 0.7s apart; the two 0.4s each with one of them.
        Assert.Equal([["md5"], ["sha1", "sha512"], ["sha256", "sha384"]], groups);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    [InlineData(5, 64)]
    public void Group_NoMoreAlgorithmsThanProcessors_OneEachInJobOrderWithoutMeasuring(int count, int processors)
    {
        string[] algorithms = [.. HashAlgorithmKind.Names.Reverse().Take(count)];

        IReadOnlyList<IReadOnlyList<string>> groups = HashThreadPlan.Group(algorithms, processors,
            _ => throw new InvalidOperationException("costs are only measured when algorithms share threads"));

        Assert.Equal(algorithms.Select(name => new[] { name }), groups.Select(group => group.ToArray()));
    }

    [Fact]
    public void Group_OneProcessor_OneGroupWithAllInJobOrder()
    {
        Assert.Equal([["sha256", "md5", "sha512", "sha1"]], Group(["sha256", "md5", "sha512", "sha1"], 1, s_shaNi));
    }

    [Fact]
    public void Group_EqualCosts_SpreadsByMemberCountAndKeepsJobOrder()
    {
        string[][] groups = [.. HashThreadPlan.Group(["a", "b", "c", "d", "e"], 2, _ => 0.0).Select(group => group.ToArray())];

        Assert.Equal([["a", "c", "e"], ["b", "d"]], groups);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Group_InvalidCost_Throws(double cost)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HashThreadPlan.Group(["md5", "sha1", "sha256"], 2, _ => cost));
    }

    [Fact]
    public void Group_NoProcessors_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HashThreadPlan.Group(["md5"], 0, _ => 1.0));
    }

    [Fact]
    public void MeasureCost_EveryAlgorithm_PositiveAndFinite()
    {
        foreach (string algorithm in HashAlgorithmKind.Names)
        {
            double seconds = HashThreadPlan.MeasureCost(algorithm);
            Assert.True(double.IsFinite(seconds) && seconds > 0, $"{algorithm}: {seconds}");
            // 1 MiB in well under a second even on a loaded machine; a unit slip (ticks, ms) would not be.
            Assert.True(seconds < 1, $"{algorithm}: {seconds}");
        }
    }

    [Fact]
    public void MeasureCost_UnknownAlgorithm_Throws()
    {
        Assert.Throws<ArgumentException>(() => HashThreadPlan.MeasureCost("crc64"));
    }
}
