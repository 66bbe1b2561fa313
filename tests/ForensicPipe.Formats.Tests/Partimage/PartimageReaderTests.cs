using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partimage;

[Collection(PartimageCorpusCollection.Name)]
public sealed class PartimageReaderTests(PartimageCorpusFixture corpus)
{
    // docs/formats/partimage.md, "Known-answer values": every partimage image of corpus B reconstructs to ext2.raw.
    private const string Ext2RawSha256 = "855283beb3eec45757e87aec5537467d6bbfd995e241f30cd8ad8cf25a2ef970";

    public static TheoryData<string> AllImages() => [.. PartimageCorpusFixture.Images.Keys];

    [Theory]
    [MemberData(nameof(AllImages))]
    public async Task PartimageReader_Reconstruction_EqualsPartimageRestoreAndEveryCheckPasses(string image)
    {
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);

        Assert.Equal(corpus.PartimageRestoreSha256(image), result.Sha256);
        Assert.Equal(reader.LocalHeader.UsedBlocks * reader.LocalHeader.BlockSize, result.DataBytes);
        Assert.Equal(0, log.MismatchCount);
        long chk = reader.LocalHeader.UsedBlocks * reader.LocalHeader.BlockSize / 65536;
        Assert.Equal(chk, reader.ChkRead);
        Assert.Equal(3 + chk + 1, log.Checked); // three header sums, every CHK, the tail sum
        Assert.Equal((long?)info.Details!["expectedLogicalSize"], reader.BytesRead);
        long fileBytes = reader.Volumes.Sum(v => v.LogicalLength + 512);
        long expectedFiles = reader.Volumes.All(v => v.Compression == ImageCompression.None)
            ? reader.Volumes.Sum(v => new FileInfo(v.Path).Length)
            : fileBytes;
        Assert.Equal(expectedFiles, fileBytes);
        Assert.Equal(true, (bool?)reader.DescribeAfterRun()?["complete"]);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("ext2.pimg")]
    [InlineData("ext2gz.pimg")]
    [InlineData("ext2bz.pimg")]
    [InlineData("ext2mv.pimg")]
    [InlineData("ext2mvgz.pimg")]
    [InlineData("ext2mvbz.pimg")]
    public async Task PartimageReader_CorpusBExt2_MatchesTheFormatsVectors(string image)
    {
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        // docs/formats/partimage.md, "Known-answer values": bs 1024, used 9155, block_count 32768, bitmap 4112, data
        // start 53596, 143 CHK, 3072 unchecked bytes; single volume → last volume 0, -V splits → several.
        Assert.Equal(Ext2RawSha256, result.Sha256);
        Assert.Equal(1024, reader.LocalHeader.BlockSize);
        Assert.Equal(9155, reader.LocalHeader.UsedBlocks);
        Assert.Equal(32768, reader.LocalHeader.BlockCount);
        Assert.Equal(4112, reader.LocalHeader.BitmapSize);
        Assert.Equal(53596, reader.DataStart);
        Assert.Equal(143, reader.ChkRead);
        Assert.Equal(3072L, (long?)info.Details!["uncheckedTrailingBytes"]);
        Assert.Equal("ext2fs", reader.MainHeader.FileSystem);
        Assert.Equal("0.6.1", reader.VolumeHeader.Version);
        Assert.Equal(33554432, reader.MainHeader.PartitionSize);
        Assert.Equal(reader.Volumes.Count - 1, (int)reader.Tail!.Value.LastVolume);
        Assert.Equal(image.Contains("mv", StringComparison.Ordinal), reader.Volumes.Count > 1);
        Assert.Equal(corpus.VolumeFiles(image).Count, reader.Volumes.Count);
        uint expectedCompression = image.Contains("gz", StringComparison.Ordinal) ? 1u : image.Contains("bz", StringComparison.Ordinal) ? 2u : 0u;
        Assert.Equal(expectedCompression, reader.MainHeader.Compression);
        Assert.All(reader.Volumes, v => Assert.Equal(expectedCompression, (uint)v.Compression));
        for (int i = 1; i < reader.Volumes.Count; i++)
        {
            Assert.Equal((uint)i, reader.Volumes[i].Number);
            Assert.Equal(reader.Volumes[i - 1].LogicalStart + reader.Volumes[i - 1].LogicalLength, reader.Volumes[i].LogicalStart);
        }
    }

    [Theory]
    [InlineData("ext2.pimg", "ext2.raw")]
    [InlineData("fat.pimg", "fat.raw")]
    [InlineData("tiny.pimg", "tiny.raw")]
    public async Task PartimageReader_ExtAndFat_ReconstructTheOriginalPartition(string image, string raw)
    {
        // docs/formats/partimage.md, "Reconstruction": ext2 and FAT reconstruct to the raw partition (FAT's last sector
        // is outside block_count but zero in a fresh FAT32, as in the original).
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume(image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        Assert.Equal(FileHash.Sha256(corpus.PathOf(raw)), result.Sha256);
    }

    [Fact]
    public async Task PartimageReader_Ntfs_EqualsTheOriginalExceptTheBlocksBeyondBlockCount()
    {
        // docs/formats/partimage.md, "Bitmap and info header" and "Reconstruction": NTFS stores its whole $Bitmap (a
        // set bit beyond block_count, ignored) and the backup boot sector after the last cluster is not saved.
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("ntfs.pimg"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        using var output = new MemoryStream();

        await ExtentDrain.DrainAsync(reader, info, pool, output);

        byte[] original = await File.ReadAllBytesAsync(corpus.PathOf("ntfs.raw"));
        long covered = reader.LocalHeader.BlockCount * reader.LocalHeader.BlockSize;
        Assert.Equal(4096, reader.LocalHeader.BlockSize);
        Assert.True(covered < original.Length);
        Assert.True(output.GetBuffer().AsSpan(0, (int)covered).SequenceEqual(original.AsSpan(0, (int)covered)));
        Assert.True((long?)info.Details!["bitmapSetBitsBeyondBlockCount"] >= 1);
        Assert.Equal("ntfs", reader.MainHeader.FileSystem);
    }

    [Fact]
    public async Task PartimageReader_Ntfs_TailBeyondBlockCountIsOneAbsentExtent()
    {
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("ntfs.pimg"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        Extent? last = null;

        await ExtentDrain.DrainAsync(reader, info, pool, inspect: e => last = e);

        long covered = reader.LocalHeader.BlockCount * reader.LocalHeader.BlockSize;
        Assert.NotNull(last);
        Assert.Equal(ExtentKind.Absent, last.Kind);
        Assert.Equal(info.Size, last.End);
        Assert.True(last.Offset <= covered);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public async Task PartimageReader_SmallAndOddBuffers_SameReconstructionAndChecks(int bufferSize)
    {
        // CHK records fall inside extents, at extent ends and inside blocks (FAT: 512-byte blocks, NTFS: 4096).
        foreach (string image in new[] { "fat.pimg", "ntfs.pimg", "ext2mv.pimg" })
        {
            using var pool = new BufferPool(bufferSize);
            await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume(image));
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            var log = new VerificationLog();

            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);

            Assert.Equal(corpus.PartimageRestoreSha256(image), result.Sha256);
            Assert.Equal(0, log.MismatchCount);
            Assert.True(result.LongestDataExtent <= bufferSize);
            Assert.Equal(0, pool.Outstanding);
        }
    }

    [Fact]
    public async Task PartimageReader_Tiny_HasNoChkAndTheTailSumCoversAllData()
    {
        using var pool = new BufferPool();
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("tiny.pimg"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        await ExtentDrain.DrainAsync(reader, info, pool, log: log);

        Assert.Equal(0, reader.ChkRead);
        Assert.Equal(4, log.Checked);
        Assert.Equal(0, log.MismatchCount);
        Assert.Contains("tail", reader.PartimageVerifier!.Method, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartimageReader_Details_HoldEveryHeaderField()
    {
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("ext2mvgz.pimg"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        JsonObject details = info.Details!;

        Assert.Equal("partimage", info.Format);
        Assert.Equal("ext2fs", (string?)details["fileSystem"]);
        Assert.Equal("", (string?)details["description"]);
        Assert.StartsWith("/dev/loop", (string?)details["originalDevice"], StringComparison.Ordinal);
        Assert.Equal("ext2mvgz.pimg", (string?)details["firstImageFile"]);
        Assert.Equal(Environment.MachineName, (string?)details["hostName"], ignoreCase: true);
        Assert.Matches(@"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d$", (string?)details["creationTime"]);
        Assert.Equal("gzip", (string?)details["compressionName"]);
        Assert.Equal("gzip", (string?)details["volumeCompression"]);
        Assert.Equal("0.6.1", (string?)details["imageVersion"]);
        Assert.Equal("piext2", (string?)details["label"]);
        Assert.Equal(corpus.VolumeFiles("ext2mvgz.pimg").Count, details["volumeFiles"]!.AsArray().Count);
        Assert.True(corpus.VolumeFiles("ext2mvgz.pimg").Count >= 3);
        Assert.Equal("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", (string?)details["info"]!["uuid"]);
        Assert.Equal((string?)details["mainHeaderSum"]!["stored"], (string?)details["mainHeaderSum"]!["computed"]);
        foreach (string key in new[] { "unameSysname", "unameNodename", "unameRelease", "unameVersion", "unameMachine", "flags",
                     "partitionSize", "mbrCount", "mbrSize", "encryption", "hashTestKey", "blockSize", "usedBlocks", "blockCount",
                     "bitmapSize", "badBlocks", "localHeaderSum", "volumeIdentifier", "volumeVersion", "dataStart", "chkCount" })
        {
            Assert.True(details.ContainsKey(key), key);
        }
    }

    [Fact]
    public async Task PartimageReader_CancelledMidway_ReturnsEveryBuffer()
    {
        using var pool = new BufferPool(65536);
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("ext2mvgz.pimg"));
        await reader.OpenAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Extent extent in reader.ReadAsync(pool, cancel.Token))
            {
                extent.Release();
                if (++seen == 20)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(0, pool.Outstanding);
    }
}
