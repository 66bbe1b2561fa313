using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneReaderTests(PartcloneCorpusFixture corpus)
{
    // docs/formats/partclone.md, "Known-answer values": reconstructions of corpus B.
    private const string Ext4RawSha256 = "41036b434c98528a362926eae5a04878cc43751700fdc133a443470fb7a94381";
    private const string FatEmptyRawSha256 = "749cbfdf081ba399f7e7084dbf186b99027e9d1fd0f16aaae4b746477098d3a7";
    private const string NtfsEmptyReconstructionSha256 = "db85d92d377e25eb580f47abf1d5429bf3c71f1b40fb0ff3f6a3ece58234e39b";

    public static TheoryData<string> AllImages() => [.. PartcloneCorpusFixture.ToolImages.Keys, PartcloneCorpusFixture.V1Image,
        .. SyntheticPartcloneImage.EdgeCases.Keys];

    public static TheoryData<string> ToolImages() => [.. PartcloneCorpusFixture.ToolImages.Keys];

    [Theory]
    [MemberData(nameof(AllImages))]
    public async Task PartcloneReader_Reconstruction_EqualsPartcloneRestore(string image)
    {
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);

        Assert.Equal(corpus.RestoreSha256[image], result.Sha256);
        Assert.Equal(new FileInfo(corpus.PathOf(image)).Length, reader.BytesRead);
        Assert.Equal(reader.Header.ExpectedImageSize, reader.BytesRead);
        Assert.Equal(reader.Header.UsedBlocks * reader.Header.BlockSize, result.DataBytes);
        Assert.Equal(0, log.MismatchCount);
        int openChecks = reader.Header.FormatVersion == PartcloneImageVersion.V2 ? 2 : 0;
        Assert.Equal(reader.Header.ChecksumCount + openChecks, log.Checked);
        Assert.Equal(reader.Header.ChecksumCount, reader.ChecksumsRead);
        Assert.Equal(true, (bool?)reader.DescribeAfterRun()?["complete"]);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc", Ext4RawSha256)]
    [InlineData("ext4.a0.pc", Ext4RawSha256)]
    [InlineData("ext4.k1.pc", Ext4RawSha256)]
    [InlineData("ext4.k1000.pc", Ext4RawSha256)]
    [InlineData("ext4.K.pc", Ext4RawSha256)]
    [InlineData("ext4.v1.pc", Ext4RawSha256)]
    [InlineData("fat-empty.pc", FatEmptyRawSha256)]
    [InlineData("ntfs-empty.pc", NtfsEmptyReconstructionSha256)]
    public async Task PartcloneReader_CorpusB_ReconstructionMatchesFormatsVector(string image, string sha256)
    {
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        Assert.Equal(sha256, result.Sha256);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc")]
    [InlineData("ext4.k1.pc")]
    [InlineData("fat.pc")]
    [InlineData("fat.k7.pc")]
    [InlineData("xfs.pc")]
    [InlineData("ext4.v1.pc")]
    public async Task PartcloneReader_ImagesThatMustEqualTheRawPartition_ReconstructToIt(string image)
    {
        // docs/formats/partclone.md, "Reconstruction": ext4, FAT and XFS images restore to the raw partition byte for
        // byte; NTFS loses its backup boot sector and btrfs its freed tree blocks, so those are compared with
        // partclone.restore only.
        string raw = corpus.PathOf(PartcloneCorpusFixture.ToolImages.GetValueOrDefault(image, "ext4.raw"));
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        await using FileStream rawStream = File.OpenRead(raw);
        Assert.Equal(Convert.ToHexStringLower(await SHA256.HashDataAsync(rawStream)), result.Sha256);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("btrfs.pc", 4096)]            // 16 KiB blocks in 4 KiB buffers: every block split in four
    [InlineData("ext4.k1.pc", 1000)]          // 1 KiB blocks, buffers smaller and not a divisor
    [InlineData("ext4.pc", 3000)]             // two whole blocks per buffer, 952 bytes unused
    [InlineData("ext4.K.pc", 65536 + 512)]
    [InlineData("fat.k7.pc", 512)]            // one block per buffer
    [InlineData("ext4.v1.pc", 700)]           // format 0001 with split blocks
    [InlineData("synthetic-4mib.pc", 1536 * 1024)] // 4 MiB blocks across 1.5 MiB buffers
    [InlineData("synthetic-odd-bs.pc", 4000)]
    public async Task PartcloneReader_SmallOrOddBuffers_SameReconstructionAndVerdict(string image, int bufferSize)
    {
        using var pool = new BufferPool(bufferSize);
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        int blockSize = reader.Header.BlockSize;
        var log = new VerificationLog();

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log, inspect: extent =>
        {
            if (extent.Kind != ExtentKind.Data)
            {
                return;
            }
            Assert.True(extent.Length <= bufferSize);
            if (blockSize <= bufferSize)
            {
                // Whole blocks only, as many as fit.
                Assert.Equal(0, extent.Length % blockSize);
                Assert.Equal(0, extent.Offset % blockSize);
            }
        });

        Assert.Equal(corpus.RestoreSha256[image], result.Sha256);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(reader.Header.ChecksumCount, reader.PartcloneVerifier!.GroupsChecked);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc", int.MaxValue)]
    [InlineData("ext4.k1.pc", 4093)]
    [InlineData("btrfs.pc", 65536)]
    [InlineData("ext4.v1.pc", 777)]
    public async Task PartcloneReader_NonSeekableStream_SameResult(string image, int maxChunk)
    {
        using var pool = new BufferPool();
        var stream = new NonSeekableStream(File.OpenRead(corpus.PathOf(image)), maxChunk);
        await using var reader = new PartcloneReader(stream, image);
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);

        Assert.Equal(corpus.RestoreSha256[image], result.Sha256);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(new FileInfo(corpus.PathOf(image)).Length, reader.BytesRead);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneReader_RealPipe_SameResult()
    {
        string image = corpus.PathOf("xfs.K.pc");
        var start = new ProcessStartInfo(ExternalTool.Locate("cat")) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(image);
        using Process cat = Process.Start(start)!;
        using var pool = new BufferPool();
        await using var reader = new PartcloneReader(cat.StandardOutput.BaseStream, "-");
        Assert.False(cat.StandardOutput.BaseStream.CanSeek);
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);
        await cat.WaitForExitAsync();

        Assert.Equal(corpus.RestoreSha256["xfs.K.pc"], result.Sha256);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc")]
    [InlineData("ntfs-empty.pc")]
    [InlineData("fat.k7.pc")]
    [InlineData("synthetic-empty.pc")]
    [InlineData("synthetic-odd-bs.pc")]
    public async Task PartcloneReader_Extents_FollowTheBitmapRuns(string image)
    {
        V2Layout layout = V2Layout.Read(corpus.PathOf(image));
        var expected = new List<(ExtentKind Kind, long Offset, long Length)>();
        for (long block = 0; block < layout.Total;)
        {
            bool present = layout.IsPresent(block);
            long end = block;
            while (end < layout.Total && layout.IsPresent(end) == present)
            {
                end++;
            }
            expected.Add((present ? ExtentKind.Data : ExtentKind.Absent, block * layout.BlockSize, (end - block) * layout.BlockSize));
            block = end;
        }

        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var actual = new List<(ExtentKind Kind, long Offset, long Length)>();
        await ExtentDrain.DrainAsync(reader, info, pool, inspect: extent =>
        {
            // Merge the data extents of one run (a run longer than a buffer continues in the next extent).
            if (actual.Count > 0 && extent.Kind == ExtentKind.Data && actual[^1].Kind == ExtentKind.Data)
            {
                actual[^1] = (ExtentKind.Data, actual[^1].Offset, actual[^1].Length + extent.Length);
            }
            else
            {
                actual.Add((extent.Kind, extent.Offset, extent.Length));
            }
        });

        long blocksEnd = layout.Total * layout.BlockSize;
        if (info.Size > blocksEnd)
        {
            // The device beyond total_blocks × block_size is absent too.
            expected.Add((ExtentKind.Absent, blocksEnd, info.Size!.Value - blocksEnd));
        }
        Assert.Equal(expected, actual);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext4.pc")]
    [InlineData("ext4.k1.pc")]
    [InlineData("ext4.k1000.pc")]
    [InlineData("ext4.K.pc")]
    [InlineData("fat.k7.pc")]
    [InlineData("btrfs.pc")]
    [InlineData("synthetic-exact-groups.pc")]
    [InlineData("synthetic-4mib.pc")]
    public async Task PartcloneReader_ChecksumMarks_MatchTheImageLayout(string image)
    {
        string path = corpus.PathOf(image);
        V2Layout layout = V2Layout.Read(path);
        byte[] file = await File.ReadAllBytesAsync(path);
        var marks = new List<(PartcloneChecksumMark Mark, long ExtentOffset)>();

        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(path);
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        await ExtentDrain.DrainAsync(reader, info, pool, inspect: extent =>
        {
            if (extent.Kind == ExtentKind.Data)
            {
                var list = Assert.IsAssignableFrom<IReadOnlyList<PartcloneChecksumMark>>(extent.Annotation);
                int previous = 0;
                foreach (PartcloneChecksumMark mark in list)
                {
                    Assert.InRange(mark.Position, Math.Max(previous, 1), (int)extent.Length);
                    previous = mark.Position;
                    marks.Add((mark, extent.Offset));
                }
            }
        });

        Assert.Equal(layout.ChecksumCount, marks.Count);
        for (int group = 0; group < marks.Count; group++)
        {
            (PartcloneChecksumMark mark, long extentOffset) = marks[group];
            long firstRank = group * layout.BlocksPerChecksum;
            long lastRank = Math.Min(firstRank + layout.BlocksPerChecksum, layout.Used) - 1;
            Assert.Equal(group, mark.GroupIndex);
            Assert.Equal(layout.ChecksumOffset(group), mark.ImageOffset);
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)mark.ImageOffset)), mark.StoredValue);
            Assert.Equal(layout.BlockOfRank(firstRank) * layout.BlockSize, mark.PartitionOffset);
            Assert.Equal((layout.BlockOfRank(lastRank) + 1) * layout.BlockSize, extentOffset + mark.Position);
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneReader_SourceInfo_DescribesEveryHeaderField()
    {
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("ext4.pc"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        Assert.Equal("partclone", info.Format);
        Assert.Equal(corpus.PathOf("ext4.pc"), info.Path);
        Assert.Equal(64L << 20, info.Size);
        JsonObject details = info.Details!;
        string[] keys =
        [
            "magic", "formatVersion", "partcloneVersion", "endiannessMarker", "fileSystem", "deviceSize", "partitionSize",
            "totalBlocks", "usedBlocksSuperblock", "usedBlocks", "blockSize", "featureSize", "imageVersion", "cpuBits",
            "checksumMode", "checksumModeName", "checksumSize", "blocksPerChecksum", "reseed", "bitmapMode",
            "bitmapModeName", "headerCrc", "bitmapOffset", "bitmapSize", "bitmapCrc", "bitmapSetBits", "dataStart",
            "checksumCount", "expectedImageSize",
        ];
        foreach (string key in keys)
        {
            Assert.True(details.ContainsKey(key), $"Details lacks {key}: {details.ToJsonString()}");
        }
        Assert.Equal("partclone-image", (string?)details["magic"]);
        Assert.Equal("0002", (string?)details["formatVersion"]);
        Assert.Equal("0.3.23", (string?)details["partcloneVersion"]);
        Assert.Equal("0xc0de", (string?)details["endiannessMarker"]);
        Assert.Equal("EXTFS", (string?)details["fileSystem"]);
        Assert.Equal(65536L, (long?)details["totalBlocks"]);
        Assert.Equal(16156L, (long?)details["usedBlocks"]);
        Assert.Equal(1024, (int?)details["blockSize"]);
        Assert.Equal("CRC32", (string?)details["checksumModeName"]);
        Assert.Equal("BIT", (string?)details["bitmapModeName"]);
        Assert.Equal("00c8b5ac", (string?)details["headerCrc"]!["stored"]);
        Assert.Equal("00c8b5ac", (string?)details["headerCrc"]!["computed"]);
        Assert.Equal("bd7f5d0a", (string?)details["bitmapCrc"]!["stored"]);
        Assert.Equal("bd7f5d0a", (string?)details["bitmapCrc"]!["computed"]);
        Assert.Equal(8306L, (long?)details["dataStart"]);
        Assert.Equal(16L, (long?)details["checksumCount"]);
        Assert.Equal(16552114L, (long?)details["expectedImageSize"]);
        Assert.Equal(16156L, (long?)details["bitmapSetBits"]);
        Assert.Equal(16156L, reader.Bitmap.SetCount);
        Assert.True(reader.HeaderChecksum!.Matches);
        Assert.True(reader.BitmapChecksum!.Matches);
    }

    [Fact]
    public async Task PartcloneReader_Cancelled_ReleasesEveryBuffer()
    {
        using var pool = new BufferPool(64 * 1024);
        using var cancellation = new CancellationTokenSource();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("xfs.pc"));
        await reader.OpenAsync(CancellationToken.None);
        int data = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Extent extent in reader.ReadAsync(pool, cancellation.Token))
            {
                extent.Release();
                if (extent.Kind == ExtentKind.Data && ++data == 5)
                {
                    cancellation.Cancel();
                }
            }
        });

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneReader_ConsumerStopsEarly_ReleasesEveryBuffer()
    {
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("ext4.pc"));
        await reader.OpenAsync(CancellationToken.None);

        await foreach (Extent extent in reader.ReadAsync(pool, CancellationToken.None))
        {
            bool stop = extent.Kind == ExtentKind.Data;
            extent.Release();
            if (stop)
            {
                break;
            }
        }

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(false, (bool?)reader.DescribeAfterRun()?["complete"]);
    }

    [Fact]
    public async Task PartcloneReader_ReadBeforeOpen_Throws()
    {
        using var pool = new BufferPool();
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf("ext4.pc"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (Extent extent in reader.ReadAsync(pool, CancellationToken.None))
            {
                extent.Release();
            }
        });
        Assert.Throws<InvalidOperationException>(() => reader.Header);
    }

    [Fact]
    public async Task PartcloneReader_BitsBeyondTotalBlocks_AreIgnored()
    {
        // docs/formats/partclone.md, "Format 0002: bitmap": bits at or beyond total_blocks are ignored (and covered by
        // the bitmap CRC).
        var image = new SyntheticPartcloneImage(512, 13, 13 * 512, b => b % 3 == 0, BlocksPerChecksum: 2, SetBitsBeyondTotal: true);
        using var pool = new BufferPool();

        (SourceInfo _, DrainResult result, VerificationLog log) = await PartcloneTestImages.ReadAllAsync(image.ToArray(), pool);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image.Reconstruction())), result.Sha256);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(0, pool.Outstanding);
    }
}
