using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Where segments and tables end: exact fits, one chunk over, tables split over segments and within a
/// segment, and the .E99 → .EAA naming step; each set checked by ewfverify and read back.</summary>
public sealed class EwfSegmentBoundaryTests
{
    private const int ChunkSize = 16 * 512;

    private static readonly DateTimeOffset s_fixedTime = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    // Fixed dates keep the header sections, and so the room in segment 1, the same from run to run.
    private static EwfSinkOptions Options(long segmentSize) => new()
    {
        Compression = EwfCompression.None,
        SectorsPerChunk = 16,
        SegmentSize = segmentSize,
        Case = new EwfCaseInfo { AcquiredAt = s_fixedTime, SystemAt = s_fixedTime, SoftwareVersion = "fpipe test", OperatingSystem = "Linux" },
    };

    private static async Task<int[]> ChunksPerSegmentAsync(string path, byte[] media)
    {
        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Contains($"MD5 hash calculated over data:\t\t{EwfTestSupport.Md5(media)}", verify.StandardOutput);
        Assert.Equal(media, (await EwfTestSupport.ReadAsync(path)).Media);
        using EwfSet set = EwfSet.Open(path);
        return [.. Enumerable.Range(0, set.Segments.Count).Select(segment => set.Tables.Where(t => t.Segment == segment).Sum(t => t.Count))];
    }

    [Fact]
    public async Task EwfSink_MediaEndsWithTheLastChunkThatFitsASegment_NoEmptySegmentFollows()
    {
        using var folder = new TempDirectory();
        const long segmentSize = 1 << 20;
        byte[] probe = EwfTestSupport.Media(ChunkSize * 300, seed: 31);
        string probePath = folder.File("probe.E01");
        await EwfTestSupport.WriteAsync(probePath, probe, Options(segmentSize));
        int[] probeCounts = await ChunksPerSegmentAsync(probePath, probe);
        Assert.True(probeCounts.Length >= 3, string.Join(",", probeCounts));
        int first = probeCounts[0], second = probeCounts[1];

        // Exactly what segment 1 holds: one segment, ending with done right after the last chunk's tables.
        byte[] exact = probe[..(first * ChunkSize)];
        string exactPath = folder.File("exact.E01");
        EwfSink exactSink = await EwfTestSupport.WriteAsync(exactPath, exact, Options(segmentSize));
        Assert.Single(exactSink.SegmentPaths);
        Assert.Equal([first], await ChunksPerSegmentAsync(exactPath, exact));
        Assert.True(new FileInfo(exactPath).Length <= segmentSize);

        // One chunk more: it opens segment 2 alone.
        byte[] over = probe[..((first + 1) * ChunkSize)];
        string overPath = folder.File("over.E01");
        await EwfTestSupport.WriteAsync(overPath, over, Options(segmentSize));
        Assert.Equal([first, 1], await ChunksPerSegmentAsync(overPath, over));

        // Two full segments: the table of the second segment ends its chunks, done follows in the same file.
        byte[] two = probe[..((first + second) * ChunkSize)];
        string twoPath = folder.File("two.E01");
        EwfSink twoSink = await EwfTestSupport.WriteAsync(twoPath, two, Options(segmentSize));
        Assert.Equal([first, second], await ChunksPerSegmentAsync(twoPath, two));
        Assert.All(twoSink.SegmentPaths, path => Assert.True(new FileInfo(path).Length <= segmentSize, path));
    }

    [Fact]
    public async Task EwfSink_MoreChunksThanATableHolds_SecondSectorsSectionInTheSameSegment()
    {
        using var folder = new TempDirectory();
        // 65534 entries per table: 100 chunks more need a second sectors/table/table2 run.
        byte[] media = new byte[(65534 + 100) * (long)ChunkSize];
        EwfTestSupport.Media(1 << 20, seed: 41).CopyTo(media, media.Length - (1 << 20));
        string path = folder.File("tables.E01");
        await EwfTestSupport.WriteAsync(path, media, Options(4L << 30) with { Compression = EwfCompression.Fast });

        using (EwfSet set = EwfSet.Open(path))
        {
            Assert.Single(set.Segments);
            Assert.Equal([65534, 100], set.Tables.Select(t => t.Count));
        }
        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Contains($"MD5 hash calculated over data:\t\t{EwfTestSupport.Md5(media)}", verify.StandardOutput);
    }

    [Fact]
    public async Task EwfSink_MoreThan99Segments_NamesGoOnFromE99ToEAA()
    {
        using var folder = new TempDirectory();
        // A segment always takes one chunk: with 4 KiB segments every 8 KiB chunk is a segment of its own.
        byte[] media = EwfTestSupport.Media(ChunkSize * 102, seed: 51);
        string path = folder.File("many.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media, Options(4096));

        Assert.Equal(102, sink.SegmentPaths.Count);
        Assert.Equal(folder.File("many.E99"), sink.SegmentPaths[98]);
        Assert.Equal(folder.File("many.EAA"), sink.SegmentPaths[99]);
        Assert.Equal(folder.File("many.EAC"), sink.SegmentPaths[101]);
        Assert.Equal(Enumerable.Repeat(1, 102), await ChunksPerSegmentAsync(path, media));
        Assert.Equal(media, await EwfTestSupport.ExportAsync(path, folder.Path));
    }

    [Theory]
    [InlineData(1, "E01")]
    [InlineData(99, "E99")]
    [InlineData(100, "EAA")]
    [InlineData(125, "EAZ")]
    [InlineData(126, "EBA")]
    [InlineData(775, "EZZ")]
    [InlineData(776, "FAA")]
    [InlineData(99 + (22 * 26 * 26), "ZZZ")]
    public void EwfSegmentNames_Number_GivesLibewfExtension(int number, string extension) =>
        Assert.Equal(extension, EwfSegmentNames.Extension(number));

    [Fact]
    public async Task EwfSink_OverwritingALongerSet_RemovesItsLaterSegments()
    {
        using var folder = new TempDirectory();
        string path = folder.File("again.E01");
        byte[] large = EwfTestSupport.Media(ChunkSize * 200, seed: 61);
        await EwfTestSupport.WriteAsync(path, large, Options(1 << 20));
        Assert.True(File.Exists(folder.File("again.E02")));

        byte[] small = EwfTestSupport.Media(ChunkSize * 10, seed: 62);
        await Assert.ThrowsAsync<Core.Errors.JobValidationException>(() => EwfTestSupport.WriteAsync(path, small, Options(1 << 20)));
        await EwfTestSupport.WriteAsync(path, small, Options(1 << 20) with { Overwrite = true });

        Assert.False(File.Exists(folder.File("again.E02")));
        Assert.Equal(small, (await EwfTestSupport.ReadAsync(path)).Media);
    }
}
