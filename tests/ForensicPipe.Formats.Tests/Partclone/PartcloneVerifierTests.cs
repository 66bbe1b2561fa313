using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneVerifierTests(PartcloneCorpusFixture corpus)
{
    public static TheoryData<string> Variants() =>
    [
        "ext4.pc", "ext4.K.pc", "ext4.k1.pc", "ext4.k1000.pc", "ext4.a0.pc", "fat.k7.pc", "xfs.K.pc", "btrfs.pc",
        "ntfs-empty.pc", "synthetic-exact-groups.pc", "synthetic-4mib.pc",
    ];

    /// <summary>
    /// Our verdict equals partclone.chkimg's on the good image and on copies with one inverted byte in a data
    /// block, a stored checksum, the bitmap and the header. Without data checksums (-a0) neither tool can see
    /// the damaged data byte.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public async Task PartcloneVerifier_OneFlippedByte_VerdictEqualsChkimg(string image)
    {
        string source = corpus.PathOf(image);
        V2Layout layout = V2Layout.Read(source);
        long rank = layout.Used / 2;
        var cases = new List<(string Name, long? Offset, bool Accepted)>
        {
            ("good", null, true),
            ("data", layout.BlockOffset(rank) + (layout.BlockSize / 2), !layout.ChecksumsOn),
            ("bitmap", 110 + (layout.Bitmap.Length / 2), false),
            ("header", 40, false),
            ("total_blocks", 60, false),
        };
        if (layout.ChecksumsOn)
        {
            cases.Add(("checksum", layout.ChecksumOffset(rank / layout.BlocksPerChecksum), false));
        }

        var runs = cases.Select(async c =>
        {
            string path = source;
            if (c.Offset is long offset)
            {
                path = corpus.PathOf($"{image}.{c.Name}.damaged");
                PartcloneTestImages.CorruptCopy(source, path, offset);
            }
            Task<ToolResult> chkimg = PartcloneCorpusFixture.ChkimgAsync(path);
            (bool accepted, string detail) = await PartcloneTestImages.OurVerdictAsync(path);
            ToolResult tool = await chkimg;
            if (path != source)
            {
                File.Delete(path);
            }
            return (c.Name, c.Accepted, Chkimg: tool.ExitCode == 0, Ours: accepted, Detail: detail, Tool: tool);
        });
        var results = await Task.WhenAll(runs);

        foreach (var r in results)
        {
            Assert.True(r.Accepted == r.Chkimg, $"{image} {r.Name}: partclone.chkimg exit {r.Tool.ExitCode}, expected accepted={r.Accepted}");
            Assert.True(r.Chkimg == r.Ours, $"{image} {r.Name}: chkimg accepted={r.Chkimg}, we accepted={r.Ours}: {r.Detail}");
        }
    }

    [Fact]
    public async Task PartcloneVerifier_BytesAfterTheLastChecksum_RejectedWhereChkimgIsLenient()
    {
        // partclone writes nothing after the data section (docs/formats/partclone.md,
        // "Format 0002: data and checksum interleave"); chkimg 0.3.23 does not look, we refuse, naming the offset.
        string path = corpus.PathOf("ext4.pc.trailing");
        File.Copy(corpus.PathOf("ext4.pc"), path, overwrite: true);
        await using (FileStream file = File.Open(path, FileMode.Append))
        {
            file.WriteByte(0);
        }

        ToolResult tool = await PartcloneCorpusFixture.ChkimgAsync(path);
        (bool accepted, string detail) = await PartcloneTestImages.OurVerdictAsync(path);
        File.Delete(path);

        Assert.Equal(0, tool.ExitCode);
        Assert.False(accepted);
        Assert.Contains("end of image at byte 16552114", detail);
    }

    [Theory]
    [InlineData("ext4.pc")]
    [InlineData("ext4.K.pc")]
    [InlineData("ext4.k1.pc")]
    public async Task PartcloneVerifier_FlippedDataByte_ReportsGroupAndOffsets(string image)
    {
        string source = corpus.PathOf(image);
        V2Layout layout = V2Layout.Read(source);
        long rank = (layout.Used / 2) + 3;
        long group = rank / layout.BlocksPerChecksum;
        string path = corpus.PathOf(image + ".group.damaged");
        PartcloneTestImages.CorruptCopy(source, path, layout.BlockOffset(rank) + 17);
        byte[] file = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        using var pool = new BufferPool();

        (_, _, VerificationLog log) = await PartcloneTestImages.ReadAllAsync(file, pool);

        ChecksumResult first = log.Mismatches[0];
        Assert.Equal("group", first.Kind);
        Assert.Equal(group, first.Index);
        Assert.Equal(layout.ChecksumOffset(group), first.ImageOffset);
        Assert.Equal(layout.BlockOfRank(group * layout.BlocksPerChecksum) * layout.BlockSize, first.PartitionOffset);
        Assert.Equal(BitConverter.ToUInt32(file, (int)first.ImageOffset).ToString("x8"), first.Expected);
        Assert.NotEqual(first.Expected, first.Actual);
        // With reseed each group stands alone; without (-K) the damage carries into every later group.
        long expectedMismatches = layout.Reseed ? 1 : layout.ChecksumCount - group;
        Assert.Equal(expectedMismatches, log.MismatchCount);
        Assert.Equal(layout.ChecksumCount + 2, log.Checked);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneVerifier_StreamCutShort_CompleteReportsMissingGroups()
    {
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("ext4.pc"));
        await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();
        int data = 0;
        await foreach (Extent extent in reader.ReadAsync(pool, CancellationToken.None))
        {
            reader.Verifier!.Verify(extent, log);
            extent.Release();
            if (extent.Kind == ExtentKind.Data && ++data == 3)
            {
                break;
            }
        }

        reader.Verifier!.Complete(log);

        Assert.Equal(1, log.MismatchCount);
        ChecksumResult missing = log.Mismatches[0];
        Assert.Equal("group", missing.Kind);
        Assert.Equal(reader.PartcloneVerifier!.GroupsChecked, missing.Index);
        Assert.Contains("data missing", missing.Actual);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneVerifier_ExtentsWithoutReaderAnnotation_AreIgnored()
    {
        // A fill stage may turn absent ranges into data; they are not part of any checksum group.
        using var pool = new BufferPool(4096);
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("fat.k7.pc"));
        await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();
        await foreach (Extent extent in reader.ReadAsync(pool, CancellationToken.None))
        {
            if (extent.Kind == ExtentKind.Absent)
            {
                PooledBuffer fill = pool.Rent();
                fill.Span.Fill(0xDE);
                var filled = Extent.Data(extent.Offset, fill, (int)Math.Min(extent.Length, fill.Size));
                reader.Verifier!.Verify(filled, log);
                filled.Release();
            }
            reader.Verifier!.Verify(extent, log);
            extent.Release();
        }
        reader.Verifier!.Complete(log);

        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(reader.Header.ChecksumCount + 2, log.Checked);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc", "pc-crc", "CRC32 every 1024 blocks, reset after each group")]
    [InlineData("ext4.K.pc", "never reset (-K)", "1024")]
    [InlineData("ext4.a0.pc", "no data checksums", "cannot be detected")]
    [InlineData("ext4.v1.pc", "FIRST byte", "NOT checked")]
    public async Task PartcloneVerifier_Method_SaysWhatIsChecked(string image, string part1, string part2)
    {
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        await reader.OpenAsync(CancellationToken.None);

        Assert.Contains(part1, reader.Verifier!.Method);
        Assert.Contains(part2, reader.Verifier!.Method);
    }
}
