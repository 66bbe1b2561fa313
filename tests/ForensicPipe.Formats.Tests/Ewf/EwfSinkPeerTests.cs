using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Sets written by the sink, checked by the real ewf-tools (ewfverify, ewfinfo, ewfexport).</summary>
public sealed class EwfSinkPeerTests
{
    [Theory]
    [InlineData(EwfCompression.None)]
    [InlineData(EwfCompression.Fast)]
    [InlineData(EwfCompression.Best)]
    public async Task EwfSink_SingleSegment_EwfverifyAcceptsAndReportsOurDigests(EwfCompression compression)
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(3 << 20, seed: (int)compression + 1);
        string path = folder.File("case.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions { Compression = compression });

        Assert.Equal([path], sink.SegmentPaths);
        Assert.Equal(EwfTestSupport.Md5(media), sink.Md5);
        Assert.Equal(EwfTestSupport.Sha1(media), sink.Sha1);
        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", "-d", "sha1", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Contains($"MD5 hash stored in file:\t\t{sink.Md5}", verify.StandardOutput);
        Assert.Contains($"MD5 hash calculated over data:\t\t{sink.Md5}", verify.StandardOutput);
        Assert.Contains(sink.Sha1!, verify.StandardOutput);
        Assert.Equal(media, await EwfTestSupport.ExportAsync(path, folder.Path));
    }

    [Fact]
    public async Task EwfSink_SeveralSegments_EwfverifyAcceptsAndEwfexportReproducesTheMedia()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(5 << 20, seed: 7);
        string path = folder.File("multi.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media,
            new EwfSinkOptions { Compression = EwfCompression.None, SegmentSize = 1 << 20 });

        Assert.True(sink.SegmentPaths.Count >= 5, $"{sink.SegmentPaths.Count} segments");
        Assert.All(sink.SegmentPaths, segment => Assert.True(new FileInfo(segment).Length <= 1 << 20, segment));
        Assert.Equal(folder.File("multi.E02"), sink.SegmentPaths[1]);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial"));
        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Contains($"MD5 hash calculated over data:\t\t{EwfTestSupport.Md5(media)}", verify.StandardOutput);
        Assert.Equal(media, await EwfTestSupport.ExportAsync(path, folder.Path));
    }

    [Fact]
    public async Task EwfSink_UnreadableRanges_StoredAsZerosAndListedByEwfinfo()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(2 << 20, seed: 11);
        EwfTestSupport.Hole[] holes = [new(4096, 1024), new(5120, 512), new(1 << 20, 70000)];
        foreach (EwfTestSupport.Hole hole in holes)
        {
            media.AsSpan((int)hole.Offset, (int)hole.Length).Clear();
        }
        string path = folder.File("bad.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions { Compression = EwfCompression.Fast }, holes, extentSize: 65536);

        // 4096+1024 and 5120+512 touch: one run of sectors 8..10; 70000 bytes end inside sector 2185.
        Assert.Equal([new EwfErrorRange(8, 3), new EwfErrorRange(2048, 137)], sink.ErrorRanges);
        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Contains(EwfTestSupport.Md5(media), verify.StandardOutput);
        ToolResult info = await EwfTestSupport.RunAsync("ewfinfo", path);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("Read errors during acquiry", info.StandardOutput);
        Assert.Contains("at sector(s): 8 - 10 number: 3", info.StandardOutput);
        Assert.Contains("at sector(s): 2048 - 2184 number: 137", info.StandardOutput);
        Assert.Equal(media, await EwfTestSupport.ExportAsync(path, folder.Path));
    }

    [Fact]
    public async Task EwfSink_CaseMetadata_ShownByEwfinfo()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(1 << 20, seed: 3);
        string path = folder.File("meta.E01");
        var caseInfo = new EwfCaseInfo
        {
            CaseNumber = "2026-114", EvidenceNumber = "E-7", Examiner = "J. Doe", Description = "USB stick, desk drawer", Notes = "seized 1 Dec",
            AcquiredAt = new DateTimeOffset(2026, 12, 1, 10, 11, 12, TimeSpan.Zero),
        };
        await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions { Case = caseInfo, BytesPerSector = 4096, SectorsPerChunk = 16 });

        ToolResult info = await EwfTestSupport.RunAsync("ewfinfo", path);
        Assert.True(info.ExitCode == 0, info.ToString());
        string text = info.StandardOutput;
        Assert.Contains("Case number:\t\t2026-114", text);
        Assert.Contains("Evidence number:\tE-7", text);
        Assert.Contains("Examiner name:\t\tJ. Doe", text);
        Assert.Contains("Description:\t\tUSB stick, desk drawer", text);
        Assert.Contains("Notes:\t\t\tseized 1 Dec", text);
        Assert.Contains("Operating system used:\tLinux", text);
        Assert.Contains("Software version used:\tfpipe", text);
        Assert.Contains("Bytes per sector:\t4096", text);
        Assert.Contains("Number of sectors:\t256", text);
        Assert.Contains("Sectors per chunk:\t16", text);
        Assert.Contains($"MD5:\t\t\t{EwfTestSupport.Md5(media)}", text);
        Assert.Contains($"SHA1:\t\t\t{EwfTestSupport.Sha1(media)}", text);
        Assert.Contains("Acquisition date:\tTue Dec  1 10:11:12 2026", text);
    }

    [Fact]
    public async Task EwfSink_SizeUnknownAtOpen_VolumeSectionsRewrittenAtTheEnd()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media((3 << 20) + 512, seed: 5);
        string path = folder.File("pipe.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media,
            new EwfSinkOptions { Compression = EwfCompression.Fast, SegmentSize = 1 << 20 }, announcedSize: 0);

        ToolResult verify = await EwfTestSupport.RunAsync("ewfverify", "-q", path);
        Assert.True(verify.ExitCode == 0, verify.ToString() + verify.StandardOutput);
        Assert.Equal(media, (await EwfTestSupport.ReadAsync(path)).Media);
        Assert.True(sink.SegmentPaths.Count >= 2);
    }

    [Fact]
    public async Task EwfSink_StreamEndingInsideASector_PaddedWithZerosAndHashedSo()
    {
        using var folder = new TempDirectory();
        byte[] media = EwfTestSupport.Media(100_000, seed: 9);
        string path = folder.File("odd.E01");
        EwfSink sink = await EwfTestSupport.WriteAsync(path, media, new EwfSinkOptions());

        byte[] padded = [.. media, .. new byte[(512 - (media.Length % 512)) % 512]];
        Assert.Equal(EwfTestSupport.Md5(padded), sink.Md5);
        Assert.Equal(padded, await EwfTestSupport.ExportAsync(path, folder.Path));
    }
}
