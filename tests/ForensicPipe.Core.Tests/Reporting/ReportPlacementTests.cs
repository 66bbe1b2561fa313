using ForensicPipe.Core.Reporting;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Reporting;

public class ReportPlacementTests
{
    private static readonly DateTimeOffset s_started = new(2026, 12, 1, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Choose_FreeName_KeepsIt()
    {
        using var directory = new TempDirectory();

        Assert.Equal(directory.File("out.raw.report.json"),
            ReportPlacement.Choose(directory.File("out.raw.report.json"), followsOutput: true, outputCommitted: true, overwrite: false, s_started));
    }

    [Fact]
    public void Choose_OutputNotRenamed_NamedAfterThePartial()
    {
        using var directory = new TempDirectory();

        Assert.Equal(directory.File("out.raw.partial.report.json"),
            ReportPlacement.Choose(directory.File("out.raw.report.json"), followsOutput: true, outputCommitted: false, overwrite: false, s_started));
    }

    [Theory]
    [InlineData("hash.report.json", "hash.20261201T143000Z.report.json")]
    [InlineData("check.json", "check.20261201T143000Z.json")]
    [InlineData("record", "record.20261201T143000Z")]
    public void Choose_TakenName_TimeStamped(string name, string expected)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File(name), "{}");

        Assert.Equal(directory.File(expected), ReportPlacement.Choose(directory.File(name), false, true, overwrite: false, s_started));
        Assert.Equal(directory.File(name), ReportPlacement.Choose(directory.File(name), false, true, overwrite: true, s_started));
    }

    [Fact]
    public void Choose_TakenTextRenderingOnly_CountsAsTaken()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("hash.report.txt"), "earlier");

        Assert.Equal(directory.File("hash.20261201T143000Z.report.json"),
            ReportPlacement.Choose(directory.File("hash.report.json"), false, true, overwrite: false, s_started));
    }

    [Fact]
    public void Choose_NameWithATimeStampTaken_GetsACounterNotASecondStamp()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("loop0.restore.20261201T142959Z.report.json"), "{}");
        File.WriteAllText(directory.File("loop0.restore.20261201T142959Z-2.report.json"), "{}");

        Assert.Equal(directory.File("loop0.restore.20261201T142959Z-3.report.json"),
            ReportPlacement.Choose(directory.File("loop0.restore.20261201T142959Z.report.json"), false, true, overwrite: false, s_started));
    }
}
