using ForensicPipe.Fuzz;

namespace ForensicPipe.Formats.Tests.Fuzz;

/// <summary>
/// The bounded campaign of the normal test run (docs/fuzzing.md, "In the test run"): every fuzz target over its
/// committed seed corpus and a few hundred fixed-seed mutations of it, in process, under the harness limits (only
/// documented errors, 1 s per input, 64 MiB allocated per input). A regression in any parser shows here without
/// afl-fuzz; a defect's input is saved for replay (<c>ForensicPipe.Fuzz replay TARGET FILE</c>).
/// </summary>
[Collection(FuzzCampaignCollection.Name)]
public sealed class FuzzCampaignTests
{
    /// <summary>Mutations per target: about 3,000 inputs in all, within the run's minute on a loaded machine.</summary>
    private const int Mutations = 220;

    /// <summary>Time per target at most, so that a slow machine shortens the campaign instead of the run timing out.</summary>
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(6);

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    private static string Corpus(string target) => Path.Combine(RepositoryRoot.Path, "tests", "ForensicPipe.Fuzz", "corpus", target);

    private static string Regressions => Path.Combine(RepositoryRoot.Path, "tests", "ForensicPipe.Fuzz", "regressions");

    [Theory]
    [MemberData(nameof(Targets))]
    public void FuzzTarget_SeedsAndFixedSeedMutations_OnlyDocumentedErrorsWithinLimits(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name)!;
        byte[][] seeds = [.. Directory.EnumerateFiles(Corpus(target.CorpusName)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
        Assert.NotEmpty(seeds);

        CampaignResult result = InProcessCampaign.Run(target, seeds, Mutations, randomSeed: 16, s_budget);

        Assert.True(result.Executions >= seeds.Length, $"{name}: only {result.Executions} of the {seeds.Length} seeds ran within {s_budget}");
        Assert.True(result.Defects.Count == 0, Report(result));
    }

    [Fact]
    public void FuzzTargets_NamesAndCorpusFolders_MatchTheTargets()
    {
        Assert.Equal(FuzzTargets.Names, FuzzTargets.All.Select(target => target.Name));
        Assert.All(FuzzTargets.All, target => Assert.NotEmpty(Directory.EnumerateFiles(Corpus(target.CorpusName))));
    }

    [Fact]
    public void FuzzRegressions_EveryFoundDefect_IsNowADocumentedRejection()
    {
        string[] inputs = [.. Directory.EnumerateFiles(Regressions, "*", SearchOption.AllDirectories)];
        Assert.NotEmpty(inputs);
        using var scratch = new FuzzScratch();
        foreach (string file in inputs)
        {
            string name = Path.GetFileName(Path.GetDirectoryName(file))!;
            FuzzTarget target = FuzzTargets.Find(name) ?? throw new InvalidOperationException($"{file}: no target '{name}'");
            (TimeSpan took, FuzzDefect? defect, bool rejected) = InProcessCampaign.RunTimed(target, File.ReadAllBytes(file), scratch);
            Assert.True(defect is null, $"{file}: {defect?.Kind}: {defect?.Description}");
            Assert.True(rejected, $"{file}: read to the end instead of rejected");
            Assert.True(took < InProcessCampaign.HangLimit * 5, $"{file}: {took.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public void InProcessCampaign_UndocumentedException_IsACrash()
    {
        CampaignResult result = InProcessCampaign.Run(new ThrowingTarget(), [[1, 2, 3]], 5, 16, s_budget);

        Assert.Equal(6, result.Executions);
        Assert.All(result.Defects, defect => Assert.Equal("crash", defect.Kind));
        Assert.Equal(6, result.Defects.Count);
        Assert.Contains("InvalidOperationException", result.Defects[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void InProcessCampaign_HugeAllocationForSmallInput_IsAnAllocationDefect()
    {
        CampaignResult result = InProcessCampaign.Run(new AllocatingTarget(), [[1]], 0, 16, s_budget);

        FuzzDefect defect = Assert.Single(result.Defects);
        Assert.Equal("allocation", defect.Kind);
    }

    [Fact]
    public void InProcessCampaign_InputSlowerThanOneSecondTwice_IsAHang()
    {
        CampaignResult result = InProcessCampaign.Run(new SlowTarget(), [[1], [2]], 0, 16, s_budget);

        FuzzDefect defect = Assert.Single(result.Defects);
        Assert.Equal("hang", defect.Kind);
        Assert.Equal([2], defect.Input);
    }

    private static string Report(CampaignResult result)
    {
        string folder = Path.Combine(Path.GetTempPath(), "fpipe-fuzz-defects", result.Target);
        Directory.CreateDirectory(folder);
        var lines = new List<string> { $"{result.Target}: {result.Defects.Count} defect(s) in {result.Executions} executions; inputs in {folder}" };
        foreach ((FuzzDefect defect, int index) in result.Defects.Select((defect, index) => (defect, index)))
        {
            string file = Path.Combine(folder, $"{defect.Kind}-{index}");
            File.WriteAllBytes(file, defect.Input);
            if (index < 3)
            {
                lines.Add($"{file}: {defect.Kind}: {defect.Description}");
            }
        }
        return string.Join('\n', lines);
    }

    private sealed class ThrowingTarget : FuzzTarget
    {
        public override string Name => "throwing";

        public override string Description => "throws an undocumented exception";

        public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch) => throw new InvalidOperationException("not ours");
    }

    private sealed class AllocatingTarget : FuzzTarget
    {
        public override string Name => "allocating";

        public override string Description => "allocates 100 MiB for any input";

        public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch) => GC.KeepAlive(new byte[100 << 20]);
    }

    private sealed class SlowTarget : FuzzTarget
    {
        public override string Name => "slow";

        public override string Description => "takes 1.2 s on input [2]";

        public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
        {
            if (input[0] == 2)
            {
                Thread.Sleep(1200);
            }
        }
    }
}
