using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Tests.Partclone;

namespace ForensicPipe.Formats.Tests.ImageAccess;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneRandomAccessTests(PartcloneCorpusFixture corpus)
{
    public static TheoryData<string> Images() => [.. PartcloneCorpusFixture.ToolImages.Keys, PartcloneCorpusFixture.V1Image,
        .. SyntheticPartcloneImage.EdgeCases.Keys];

    private static async Task<PartcloneRandomAccess> OpenAsync(string path, RandomAccessOptions? options = null) =>
        Assert.IsType<PartcloneRandomAccess>(await RandomAccessImage.OpenAsync(path, options));

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Read_WholePartitionInOddPieces_HashEqualsPartcloneRestore(string image)
    {
        using PartcloneRandomAccess partition = await OpenAsync(corpus.PathOf(image));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[(1 << 20) + 4093];
        long offset = 0;
        int n;
        while ((n = partition.Read(offset, buffer)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            offset += n;
        }
        Assert.Equal(partition.Header.PartitionSize, offset);
        Assert.Equal(corpus.RestoreSha256[image], Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Read_ThousandsOfRandomRanges_EqualTheSequentialReconstruction(string image)
    {
        Reconstruction reference = await Reconstruction.BuildAsync(corpus.PathOf(image));
        Assert.Equal(corpus.RestoreSha256[image], reference.Sha256);
        using PartcloneRandomAccess partition = await OpenAsync(corpus.PathOf(image), new RandomAccessOptions { IndexSize = 64 });
        var random = new Random(image.GetHashCode(StringComparison.Ordinal));
        byte[] buffer = new byte[300_000];
        foreach ((long offset, int wanted) in RandomRanges(random, reference.Bytes.Length, 3000, buffer.Length)
            .Concat(BoundaryRanges(corpus.PathOf(image), partition.Header, reference.Bytes.Length)))
        {
            int length = Math.Min(wanted, buffer.Length);
            int got = partition.Read(offset, buffer.AsSpan(0, length));
            int expected = (int)Math.Clamp(reference.Bytes.Length - offset, 0, length);
            Assert.Equal(expected, got);
            Assert.True(reference.Bytes.AsSpan((int)Math.Min(offset, reference.Bytes.Length), got).SequenceEqual(buffer.AsSpan(0, got)), $"{image}: bytes differ at [{offset}, +{length})");
        }
    }

    private static IEnumerable<(long Offset, int Length)> RandomRanges(Random random, long size, int count, int maxLength)
    {
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(4) switch
            {
                0 => random.Next(1, 17),
                1 => 4096,
                2 => random.Next(1, 70_000),
                _ => random.Next(1, maxLength),
            };
            yield return (random.NextInt64(0, size), length);
        }
        yield return (size - 1, 10);
        yield return (size, 10);
        yield return (size + 12345, 10);
    }

    /// <summary>Ranges that start a few bytes before and end a few bytes after every present/absent boundary
    /// and every checksum group boundary (where a checksum record sits between two blocks in the image).</summary>
    private static IEnumerable<(long Offset, int Length)> BoundaryRanges(string image, PartcloneHeader header, long size)
    {
        long bs = header.BlockSize;
        V2Layout? layout = header.FormatVersion == PartcloneImageVersion.V2 ? V2Layout.Read(image) : null;
        long rank = 0;
        bool previous = false;
        int yielded = 0;
        for (long block = 0; block < header.TotalBlocks && yielded < 4000; block++)
        {
            bool present = layout?.IsPresent(block) ?? true;
            if (block > 0 && present != previous)
            {
                yielded++;
                yield return (Math.Max(0, (block * bs) - 3), (int)Math.Min(7 + bs, size - Math.Max(0, (block * bs) - 3)));
            }
            if (present && header.ChecksumsEnabled && rank > 0 && rank % header.BlocksPerChecksum == 0)
            {
                yielded++;
                yield return ((block * bs) - 5, (int)Math.Min(10, size - ((block * bs) - 5)));
            }
            previous = present;
            rank += present ? 1 : 0;
        }
    }

    [Fact]
    public async Task Read_StraddlingAbsentBlocksAndChecksumRecords_MatchesAtEveryBoundary()
    {
        // ext4.k1.pc has a checksum record after every block, so every read of two present blocks straddles one.
        string image = corpus.PathOf("ext4.k1.pc");
        V2Layout layout = V2Layout.Read(image);
        byte[] raw = await File.ReadAllBytesAsync(corpus.PathOf("ext4.raw"));
        using PartcloneRandomAccess partition = await OpenAsync(image);
        byte[] buffer = new byte[3 * layout.BlockSize];
        int boundaries = 0;
        for (long block = 1; block < layout.Total; block++)
        {
            bool here = layout.IsPresent(block);
            bool before = layout.IsPresent(block - 1);
            if (!here && !before)
            {
                continue;
            }
            long offset = (block * layout.BlockSize) - 100;
            int got = partition.Read(offset, buffer.AsSpan(0, 200));
            Assert.Equal(200, got);
            // ext4.raw equals the reconstruction for ext4 (docs/formats/partclone.md, "Known-answer values"); absent
            // blocks of ext4.raw are zero here.
            Assert.True(raw.AsSpan((int)offset, 200).SequenceEqual(buffer.AsSpan(0, 200)), $"block boundary {block}");
            boundaries++;
        }
        Assert.True(boundaries > 10_000, $"only {boundaries} boundaries");
    }

    [Fact]
    public async Task Read_FillPattern_AbsentBlocksReadAsThePatternAnchoredAtOffsetZero()
    {
        string image = corpus.PathOf("ext4.pc");
        V2Layout layout = V2Layout.Read(image);
        long absent = Enumerable.Range(0, (int)layout.Total).First(b => !layout.IsPresent(b) && !layout.IsPresent(b + 1));
        using PartcloneRandomAccess partition = await OpenAsync(image, new RandomAccessOptions { Fill = FillPattern.DeadBeef });
        byte[] buffer = new byte[layout.BlockSize + 1];
        long offset = (absent * layout.BlockSize) + 1;
        Assert.Equal(buffer.Length, partition.Read(offset, buffer));
        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.Equal(FillPattern.DeadBeef.Bytes[(int)((offset + i) % 4)], buffer[i]);
        }
    }

    [Fact]
    public async Task Read_NtfsTailBeyondTotalBlocks_ReadsAsFill()
    {
        // ntfs-empty.pc: device_size is one sector more than total × block size (the backup boot sector,
        // docs/formats/partclone.md, "Reconstruction").
        using PartcloneRandomAccess partition = await OpenAsync(corpus.PathOf("ntfs-empty.pc"), new RandomAccessOptions { Fill = FillPattern.DeadBeef });
        long blocksEnd = partition.Header.TotalBlocks * partition.Header.BlockSize;
        Assert.True(partition.Length > blocksEnd);
        byte[] tail = new byte[partition.Length - blocksEnd + 100];
        Assert.Equal(tail.Length - 100, partition.Read(blocksEnd, tail));
        Assert.Equal(0xDE, tail[0]);
        Assert.Equal(0xEF, tail[3]);
    }

    [Fact]
    public async Task Read_FromManyThreadsAtOnce_EveryReadCorrect()
    {
        string image = corpus.PathOf("xfs.pc");
        Reconstruction reference = await Reconstruction.BuildAsync(image);
        using PartcloneRandomAccess partition = await OpenAsync(image, new RandomAccessOptions { VerifyReads = true });
        int failures = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            var random = new Random(worker);
            byte[] buffer = new byte[131072];
            for (int i = 0; i < 1000; i++)
            {
                long offset = random.NextInt64(0, reference.Bytes.Length);
                int got = partition.Read(offset, buffer);
                if (!reference.Bytes.AsSpan((int)offset, got).SequenceEqual(buffer.AsSpan(0, got)))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
        Assert.InRange(partition.GroupsVerified, 1, partition.Header.ChecksumCount);
    }

    [Fact]
    public async Task Read_VerifyReads_CorruptGroupFailsWithOffsets_OtherGroupsStillRead()
    {
        string source = corpus.PathOf("ext4.pc");
        V2Layout layout = V2Layout.Read(source);
        long rank = 5 * layout.BlocksPerChecksum + 17; // a block in the middle of group 5
        long block = layout.BlockOfRank(rank);
        string damaged = corpus.PathOf("ext4.damaged-group5.ra.pc");
        PartcloneTestImages.CorruptCopy(source, damaged, layout.BlockOffset(rank) + 300);

        using PartcloneRandomAccess partition = await OpenAsync(damaged, new RandomAccessOptions { VerifyReads = true });
        byte[] buffer = new byte[10];
        var error = Assert.Throws<ImageFormatException>(() => partition.Read(block * layout.BlockSize, buffer));
        Assert.True(error.IsChecksumMismatch);
        Assert.Equal(layout.ChecksumOffset(5), error.ByteOffset);
        Assert.Contains("group 5", error.Message);
        Assert.Contains($"first block {layout.BlockOfRank(5 * layout.BlocksPerChecksum)}", error.Message);

        // A block of group 6 reads; without verification the damaged block reads too (the damage is returned).
        long good = layout.BlockOfRank(6 * layout.BlocksPerChecksum + 1);
        Assert.Equal(10, partition.Read(good * layout.BlockSize, buffer));
        using PartcloneRandomAccess unchecked_ = await OpenAsync(damaged);
        Assert.Equal(10, unchecked_.Read(block * layout.BlockSize, buffer));
    }

    [Theory]
    [InlineData("ext4.K.pc", "-K")]
    [InlineData("ext4.a0.pc", "-a0")]
    [InlineData(PartcloneCorpusFixture.V1Image, "format 0001")]
    public async Task Open_VerifyReadsOnImagesWithoutPerGroupChecksums_RefusedWithReason(string image, string reason)
    {
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() =>
            RandomAccessImage.OpenAsync(corpus.PathOf(image), new RandomAccessOptions { VerifyReads = true }).AsTask());
        Assert.Contains(reason, error.Message);
        Assert.Contains("fpipe verify", error.Message);
    }

    [Fact]
    public async Task Open_TruncatedImage_ThrowsWithTheEndOffset()
    {
        string truncated = corpus.PathOf("ext4.truncated.ra.pc");
        File.Copy(corpus.PathOf("ext4.pc"), truncated, overwrite: true);
        long length = new FileInfo(truncated).Length - 5000;
        using (FileStream file = File.Open(truncated, FileMode.Open))
        {
            file.SetLength(length);
        }
        var error = await Assert.ThrowsAsync<ImageFormatException>(() => RandomAccessImage.OpenAsync(truncated).AsTask());
        Assert.Equal(length, error.ByteOffset);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task Open_CorruptBitmap_ThrowsBitmapCrcMismatch()
    {
        string damaged = corpus.PathOf("ext4.bitmap.ra.pc");
        PartcloneTestImages.CorruptCopy(corpus.PathOf("ext4.pc"), damaged, 110 + 100);
        var error = await Assert.ThrowsAsync<ImageFormatException>(() => RandomAccessImage.OpenAsync(damaged).AsTask());
        Assert.True(error.IsChecksumMismatch);
        Assert.Contains("bitmap CRC", error.Message);
    }

    [Fact]
    public async Task IndexMemory_IsTheBitmapPlusOneLongPerEntry()
    {
        using PartcloneRandomAccess partition = await OpenAsync(corpus.PathOf("ext4.pc"), new RandomAccessOptions { IndexSize = 1024 });
        long total = partition.Header.TotalBlocks;
        Assert.Equal(((total + 1023) / 1024 + 1) * 8, partition.RankIndexBytes);
        Assert.Equal((total + 7) / 8, partition.BitmapBytes);
        Assert.Equal(partition.RankIndexBytes + partition.BitmapBytes, partition.IndexMemoryBytes);
        Assert.Equal("EXTFS", partition.FileSystem);
        Assert.Equal(1024, (int)partition.Describe()["indexSize"]!);
    }

    [Fact]
    public async Task Open_ImageFileIsNotWritten()
    {
        string image = corpus.PathOf("fat.pc");
        DateTime before = File.GetLastWriteTimeUtc(image);
        byte[] hash = SHA256.HashData(await File.ReadAllBytesAsync(image));
        using (PartcloneRandomAccess partition = await OpenAsync(image, new RandomAccessOptions { VerifyReads = true }))
        {
            byte[] buffer = new byte[1 << 20];
            for (long offset = 0; offset < partition.Length; offset += buffer.Length)
            {
                partition.Read(offset, buffer);
            }
            Assert.Equal(partition.Header.ChecksumCount, partition.GroupsVerified);
        }
        Assert.Equal(before, File.GetLastWriteTimeUtc(image));
        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(image)));
    }
}
