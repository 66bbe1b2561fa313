using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Devices.Rescue;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Rescue;

public class RescueMapTests
{
    /// <summary>An output that has written only up to a fixed offset, whatever the source sent.</summary>
    private sealed class LaggingOutput(string path, long writtenUpTo) : IResumableOutput
    {
        public string FinalPath => path;

        public string PartialPath => path + ".partial";

        public long WrittenUpTo => writtenUpTo;

        public int Flushes { get; private set; }

        public void KeepExistingPartial()
        {
        }

        public void FlushWritten() => Flushes++;
    }

    [Fact]
    public void Mark_InsideAnArea_SplitsItAndMergesEqualNeighbours()
    {
        var map = new RescueMap(10240);
        map.Mark(0, 4096, '+');
        map.Mark(4096, 1024, '-');
        map.Mark(5120, 1024, '+');
        map.Mark(4096, 1024, '+');

        Assert.Equal([new MapfileArea(0, 6144, '+'), new MapfileArea(6144, 4096, '?')], map.Areas);
        Assert.Equal(6144, map.FinishedEnd);
    }

    [Fact]
    public void Mark_PastTheEnd_GrowsTheMapWithAGapNotTried()
    {
        var map = new RescueMap(1024);
        map.Mark(2048, 512, '+');

        Assert.Equal([new MapfileArea(0, 2048, '?'), new MapfileArea(2048, 512, '+')], map.Areas);
    }

    [Fact]
    public void Parse_WhatRenderWrote_SameAreasCommentsAndStatus()
    {
        IReadOnlyList<MapfileArea> areas = [new(0, 4096, '+'), new(4096, 512, '-'), new(4608, 1024, '?')];
        string text = DdrescueMapfile.Render(areas, 4608, finished: false, "fpipe image a b", DateTime.Now, DateTime.Now, "1.0",
            ["fpipe-output: {\"path\":\"/x\"}"]);

        ParsedMapfile parsed = DdrescueMapfile.Parse(text.Split('\n'), "test.map");

        Assert.Equal(areas, parsed.Map.Areas);
        Assert.Equal(4608, parsed.CurrentPosition);
        Assert.False(parsed.Finished);
        Assert.Contains("fpipe-output: {\"path\":\"/x\"}", parsed.Comments);
    }

    [Theory]
    [InlineData("0x0 ?\n0x0 0x200 +\n0x400 0x200 +", "line 3")]
    [InlineData("0x0 ?\n0x0 0x200 X", "line 2")]
    [InlineData("# only comments", "no status line")]
    [InlineData("0x0 ?\n0x0 -5 +", "line 2")]
    public void Parse_Malformed_OneLineErrorWithTheLine(string text, string expected)
    {
        var error = Assert.Throws<ForensicPipeException>(() => DdrescueMapfile.Parse(text.Split('\n'), "bad.map"));

        Assert.StartsWith("bad.map: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_MapfileOfRealDdrescue_Finished()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("in"), DeviceJob.RandomBytes(300_000, 5));
        ExternalTool.Run("ddrescue", "-q", directory.File("in"), directory.File("out"), directory.File("map"));

        ParsedMapfile parsed = DdrescueMapfile.Parse(directory.File("map"));

        Assert.True(parsed.Finished);
        Assert.Equal([new MapfileArea(0, 300_000, '+')], parsed.Map.Areas);
        Assert.Null(MapfileIdentity.FromComments(parsed.Comments));
    }

    [Fact]
    public async Task Mapfile_OutputBehindTheSource_NeverRecordsMoreThanTheOutputHolds()
    {
        using var directory = new TempDirectory();
        byte[] content = DeviceJob.RandomBytes(1 << 20, 6);
        var output = new LaggingOutput(directory.File("out.raw"), 100 * 1024 + 100);
        var options = new DeviceSourceOptions { MapfilePath = directory.File("out.map"), MapfileInterval = TimeSpan.Zero };
        await using var source = new DeviceSource("memory", options, () => new MemoryBlockDevice(content));
        source.BindOutput(output);
        using var pool = new BufferPool(65536);
        await source.OpenAsync(default);

        int extents = 0;
        await foreach (Extent extent in source.ReadAsync(pool, default))
        {
            extent.Release();
            extents++;
            ParsedMapfile during = DdrescueMapfile.Parse(directory.File("out.map"));
            Assert.True(during.Map.BytesWith(DdrescueMapfile.Finished) <= 100 * 1024, $"after extent {extents} the mapfile claims more than the output holds");
        }
        await source.DisposeAsync();

        ParsedMapfile after = DdrescueMapfile.Parse(directory.File("out.map"));
        // Cut at the last whole sector the output holds; the rest is still to read.
        Assert.Equal([new MapfileArea(0, 100 * 1024, '+'), new MapfileArea(100 * 1024, content.Length - (100 * 1024), '?')], after.Map.Areas);
        Assert.False(after.Finished);
        Assert.True(output.Flushes >= extents, "the output was not made durable before each record");
    }
}
