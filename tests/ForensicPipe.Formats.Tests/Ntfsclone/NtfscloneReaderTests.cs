using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ntfsclone;

[Collection(NtfscloneImageCollection.Name)]
public sealed class NtfscloneReaderTests(NtfscloneImageFixture fixture)
{
    // docs/formats/ntfsclone.md, "Known-answer values", corpus B: ntfs-empty.ntfsclone and the raw partition it
    // reconstructs to.
    private const string EmptyImageSha256 = "af4c243c2e9d881372eab4e9567a29e3b216de8b8ab15c1fa4a81ea965e214e7";
    private const string EmptyRawSha256 = "16424294a674ea05baa52cbb2c1a7f90419ac98ffdf61ebd83e77da4c77bb129";

    public static TheoryData<string> FullImages() => [.. NtfscloneImageFixture.FullImages.Keys];

    [Fact]
    public async Task NtfscloneReader_CorpusBEmptyNtfs_MatchesFormatsVectors()
    {
        Assert.Equal(EmptyImageSha256, FileHash.Sha256(fixture.PathOf("empty.ntfsclone")));
        Assert.Equal(EmptyRawSha256, FileHash.Sha256(fixture.PathOf("empty.raw")));

        (DrainResult result, NtfscloneReader reader) = await DrainFileAsync("empty.ntfsclone");

        Assert.Equal(EmptyRawSha256, result.Sha256);
        Assert.Equal("10.1", reader.Header.Version);
        Assert.Equal(4096, reader.Header.ClusterSize);
        Assert.Equal(625, reader.Header.ClustersInUse);
        Assert.Equal(626, (long?)reader.DescribeAfterRun()?["clusterRecords"]);
        Assert.Equal(4, (long?)reader.DescribeAfterRun()?["gapRecords"]);
    }

    [Theory]
    [MemberData(nameof(FullImages))]
    public async Task NtfscloneReader_FullImage_EqualsOriginalAndNtfscloneRestore(string image)
    {
        (DrainResult result, NtfscloneReader reader) = await DrainFileAsync(image);

        Assert.Equal(fixture.RestoreSha256[image], result.Sha256);
        if (NtfscloneImageFixture.EqualToTheirRaw.Contains(image))
        {
            Assert.Equal(FileHash.Sha256(fixture.PathOf(NtfscloneImageFixture.FullImages[image])), result.Sha256);
        }
        Assert.Equal(new FileInfo(fixture.PathOf(image)).Length, reader.BytesRead);
        Assert.Null(reader.ClusterMap); // the size adds up: one forward pass, no scan
        Assert.False(reader.IsMetadataImage);
        Assert.Equal(true, (bool?)reader.DescribeAfterRun()?["backupBootSector"]);
        Assert.Equal(reader.Header.ClustersInUse + 1, (long?)reader.DescribeAfterRun()?["clusterRecords"]);
    }

    [Fact]
    public void NtfscloneImage_SavedToStandardOutput_IsByteIdentical()
    {
        Assert.Equal(File.ReadAllBytes(fixture.PathOf("populated.ntfsclone")), File.ReadAllBytes(fixture.PathOf("populated-stdout.ntfsclone")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4093)]
    [InlineData(1 << 20)]
    public async Task NtfscloneReader_FullImageFromPipe_EqualsOriginal(int chunk)
    {
        using var pool = new BufferPool();
        await using var reader = new NtfscloneReader(new NonSeekableStream(File.OpenRead(fixture.PathOf("populated.ntfsclone")), chunk), "-");
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        Assert.Null(reader.IsMetadataImage);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        Assert.Equal(fixture.RestoreSha256["populated.ntfsclone"], result.Sha256);
        Assert.Equal(false, (bool?)reader.DescribeAfterRun()?["metadataImage"]);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task NtfscloneReader_InUseCountOff_ScansAndStillReconstructs()
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        BinaryPrimitives.WriteInt64LittleEndian(image.AsSpan(38), BinaryPrimitives.ReadInt64LittleEndian(image.AsSpan(38)) - 1);
        string path = WriteTemp(image);
        try
        {
            using var pool = new BufferPool();
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            Assert.NotNull(reader.ClusterMap); // the size no longer adds up: scanned
            Assert.False(reader.IsMetadataImage);
            Assert.Empty(info.Warnings);

            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

            Assert.Equal(fixture.RestoreSha256["populated.ntfsclone"], result.Sha256);
            // The header and the payloads are read; the record tags and gap counts only by the scan.
            Assert.Equal(image.Length, reader.BytesRead + reader.ClusterMap.ClusterRecords + (reader.ClusterMap.GapRecords * 9));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("bzip2")]
    public async Task NtfscloneReader_CompressedImage_DecompressedOnTheWay(string compressor)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fpipe-ntfsclone-{Guid.NewGuid():N}.img.z");
        try
        {
            await ExternalTool.ShellAsync(fixture.Directory, $"{compressor} -c '{fixture.PathOf("populated.ntfsclone")}' > '{path}'");
            using var pool = new BufferPool();
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);
            Assert.Equal(fixture.RestoreSha256["populated.ntfsclone"], result.Sha256);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task NtfscloneReader_MetadataImage_DetectedAndReconstructedLastWriteWinsLikeNtfsclone()
    {
        using var pool = new BufferPool();
        await using NtfscloneReader reader = NtfscloneReader.Open(fixture.PathOf(NtfscloneImageFixture.MetadataImage));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);

        Assert.True(reader.IsMetadataImage);
        Assert.Contains(info.Warnings, warning => warning.Contains("metadata image", StringComparison.Ordinal));
        Assert.True(reader.ClusterMap!.NegativeGaps > 0);
        Assert.NotEqual(reader.Header.ClustersInUse + 1, reader.ClusterMap.ClusterRecords);
        Assert.Equal(true, (bool?)info.Details?["metadataImage"]);

        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        Assert.Equal(fixture.RestoreSha256[NtfscloneImageFixture.MetadataImage], result.Sha256);
        Assert.Equal(reader.ClusterMap.StoredClusters * reader.Header.ClusterSize, result.DataBytes);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task NtfscloneReader_MetadataImageFromPipe_RefusedAtFirstBackwardGapWithOffset()
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf(NtfscloneImageFixture.MetadataImage));
        NtfscloneRecord firstBackward = NtfscloneRecordWalk.Walk(image).First(record => record.Tag == 0 && record.GapCount < 0);

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => DrainPipeAsync(image));

        Assert.Equal("gap count", error.Field);
        Assert.Equal(firstBackward.Offset + 1, error.ByteOffset);
        Assert.Contains("metadata image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NtfscloneReader_UnknownRecordType_FailsWithItsOffset()
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord victim = NtfscloneRecordWalk.Walk(image)[40];
        image[victim.Offset] = 0x07;

        foreach (Func<byte[], Task> read in new Func<byte[], Task>[] { DrainPipeAsync, DrainTempFileAsync })
        {
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => read(image));
            Assert.Equal("record type", error.Field);
            Assert.Equal(victim.Offset, error.ByteOffset);
            Assert.Contains("0x07", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NtfscloneReader_ZeroGap_FailsWithItsOffset()
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord gap = NtfscloneRecordWalk.Walk(image).First(record => record.Tag == 0);
        BinaryPrimitives.WriteInt64LittleEndian(image.AsSpan((int)gap.Offset + 1), 0);

        foreach (Func<byte[], Task> read in new Func<byte[], Task>[] { DrainPipeAsync, DrainTempFileAsync })
        {
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => read(image));
            Assert.Equal("gap count", error.Field);
            Assert.Equal(gap.Offset + 1, error.ByteOffset);
        }
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1L << 40)]
    public async Task NtfscloneReader_GapLeavingTheVolume_FailsWithoutAllocating(long count)
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord gap = NtfscloneRecordWalk.Walk(image).First(record => record.Tag == 0);
        BinaryPrimitives.WriteInt64LittleEndian(image.AsSpan((int)gap.Offset + 1), count);

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => DrainTempFileAsync(image));

        Assert.Equal("gap count", error.Field);
        Assert.Equal(gap.Offset + 1, error.ByteOffset);
    }

    [Fact]
    public async Task NtfscloneReader_TruncatedFinalCluster_RefusedAtOpenOnAFileAndAtTheEndOnAPipe()
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord last = NtfscloneRecordWalk.Walk(full)[^1];
        byte[] image = full[..^100];

        // On a file the size no longer adds up, so the scan refuses it before a byte is emitted.
        string path = WriteTemp(image);
        try
        {
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => reader.OpenAsync(CancellationToken.None).AsTask());
            Assert.Equal($"payload of cluster {last.Cluster}", error.Field);
            Assert.Equal(last.Offset + 1, error.ByteOffset);
            Assert.Contains("image truncated", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        ImageFormatException pipeError = await Assert.ThrowsAsync<ImageFormatException>(() => DrainPipeAsync(image));
        Assert.Equal($"payload of cluster {last.Cluster}", pipeError.Field);
        Assert.Equal(last.Offset + 1, pipeError.ByteOffset);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public async Task NtfscloneReader_TruncatedBetweenRecords_FailsNamingTheEnd(double fraction)
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        List<NtfscloneRecord> records = NtfscloneRecordWalk.Walk(full);
        NtfscloneRecord cut = records[(int)(records.Count * fraction)];
        byte[] image = full[..(int)cut.Offset];

        foreach (Func<byte[], Task> read in new Func<byte[], Task>[] { DrainPipeAsync, DrainTempFileAsync })
        {
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => read(image));
            Assert.Equal("end of image", error.Field);
            Assert.Equal(cut.Offset, error.ByteOffset);
            Assert.Contains($"the records end at cluster {cut.Cluster} of", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NtfscloneReader_Version10_0WithoutBackupBootSector_ReconstructsAllButTheLastSector()
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord last = NtfscloneRecordWalk.Walk(full)[^1];
        byte[] image = full[..(int)last.Offset];
        image[17] = 0; // minor version 0: the stream ends at the end of the volume (docs/formats/ntfsclone.md, "Versions")

        byte[] expected = File.ReadAllBytes(fixture.PathOf(NtfscloneImageFixture.RestoredPopulated));
        expected.AsSpan((int)(last.Cluster * 4096)).Clear();

        string path = WriteTemp(image);
        try
        {
            using var pool = new BufferPool();
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            Assert.Empty(info.Warnings);
            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected)), result.Sha256);
            Assert.Equal(false, (bool?)reader.DescribeAfterRun()?["backupBootSector"]);
        }
        finally
        {
            File.Delete(path);
        }

        image[17] = 1; // the same stream claiming 10.1 is accepted as ntfsclone does, with a warning
        path = WriteTemp(image);
        try
        {
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            Assert.Contains(info.Warnings, warning => warning.Contains("backup boot sector", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task NtfscloneReader_LegacyHeaderWithoutDataOffset_ReadsDataAtByte46()
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        byte[] image = [.. full.AsSpan(0, 46), .. full.AsSpan(56)];
        image[16] = 3; // NTFS 3.1 as the major/minor of pre-2006 writers (docs/formats/ntfsclone.md, "Versions")
        image[17] = 1;

        using var pool = new BufferPool();
        await using var reader = new NtfscloneReader(new NonSeekableStream(new MemoryStream(image)), "legacy");
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);

        Assert.Equal(46, reader.Header.DataOffset);
        Assert.Equal(fixture.RestoreSha256["populated.ntfsclone"], result.Sha256);
    }

    [Theory]
    [InlineData(0, 0x41, "magic", 0)]
    [InlineData(16, 11, "major version", 16)]
    [InlineData(18, 0x03, "cluster_size", 18)] // 4096 becomes 4099
    [InlineData(21, 0x7F, "cluster_size", 18)]
    [InlineData(29, 0x80, "device_size", 22)]
    [InlineData(37, 0x01, "nr_clusters", 30)]
    [InlineData(45, 0x01, "inuse", 38)]
    [InlineData(48, 0x10, "offset_to_image_data", 46)]
    public async Task NtfscloneReader_CorruptHeaderField_NamesFieldAndOffset(int offset, byte value, string field, long fieldOffset)
    {
        byte[] image = File.ReadAllBytes(fixture.PathOf("empty.ntfsclone"))[..4096];
        image[offset] = value;
        await using var reader = new NtfscloneReader(new MemoryStream(image), "corrupt");

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => reader.OpenAsync(CancellationToken.None).AsTask());

        Assert.Equal(field, error.Field);
        Assert.Equal(fieldOffset, error.ByteOffset);
    }

    [Fact]
    public async Task NtfscloneReader_HeaderCutAtEveryLength_FailsCleanly()
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("empty.ntfsclone"));
        for (int length = 0; length < 57; length++)
        {
            using var pool = new BufferPool();
            await using var reader = new NtfscloneReader(new MemoryStream(full[..length]), "cut");
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
            {
                SourceInfo info = await reader.OpenAsync(CancellationToken.None);
                await ExtentDrain.DrainAsync(reader, info, pool);
            });
            Assert.StartsWith("ntfsclone: ", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, pool.Outstanding);
        }
    }

    [Fact]
    public async Task NtfscloneReader_Verify_RecordsNoChecksumsAndSaysWhy()
    {
        using var pool = new BufferPool();
        await using NtfscloneReader reader = NtfscloneReader.Open(fixture.PathOf("populated.ntfsclone"));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();

        await ExtentDrain.DrainAsync(reader, info, pool, log: log);

        Assert.Equal(0, log.Checked);
        Assert.Contains("no checksums", reader.Verifier!.Method, StringComparison.Ordinal);
    }

    private async Task<(DrainResult Result, NtfscloneReader Reader)> DrainFileAsync(string image)
    {
        using var pool = new BufferPool();
        NtfscloneReader reader = NtfscloneReader.Open(fixture.PathOf(image));
        await using (reader.ConfigureAwait(false))
        {
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool);
            Assert.Equal(true, (bool?)reader.DescribeAfterRun()?["complete"]);
            Assert.Equal(0, pool.Outstanding);
            return (result, reader);
        }
    }

    private static async Task DrainPipeAsync(byte[] image)
    {
        using var pool = new BufferPool();
        try
        {
            await using var reader = new NtfscloneReader(new NonSeekableStream(new MemoryStream(image), 65536), "-");
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            await ExtentDrain.DrainAsync(reader, info, pool);
        }
        finally
        {
            Assert.Equal(0, pool.Outstanding);
        }
    }

    private static async Task DrainTempFileAsync(byte[] image)
    {
        string path = WriteTemp(image);
        using var pool = new BufferPool();
        try
        {
            await using NtfscloneReader reader = NtfscloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            await ExtentDrain.DrainAsync(reader, info, pool);
        }
        finally
        {
            File.Delete(path);
            Assert.Equal(0, pool.Outstanding);
        }
    }

    private static string WriteTemp(byte[] image)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fpipe-ntfsclone-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(path, image);
        return path;
    }
}
