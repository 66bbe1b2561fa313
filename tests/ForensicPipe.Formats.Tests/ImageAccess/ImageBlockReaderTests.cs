using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Tests.Partclone;

namespace ForensicPipe.Formats.Tests.ImageAccess;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class ImageBlockReaderTests(PartcloneCorpusFixture corpus)
{
    [Theory]
    [InlineData("ext4.pc")]
    [InlineData("ext4.k1.pc")]
    [InlineData("btrfs.pc")]
    [InlineData(PartcloneCorpusFixture.V1Image)]
    public async Task ReadAsync_CallbackGetsAscendingPieces_ThatRebuildThePartition(string image)
    {
        Reconstruction rebuilt = await Reconstruction.BuildAsync(corpus.PathOf(image));
        Assert.Equal(corpus.RestoreSha256[image], rebuilt.Sha256);
        long end = 0;
        foreach ((long offset, long length) in rebuilt.Pieces)
        {
            Assert.True(offset >= end, $"piece at {offset} overlaps or precedes the previous end {end}");
            Assert.True(length > 0);
            end = offset + length;
        }
        BlockReadSummary summary = await ImageBlockReader.ReadAsync(corpus.PathOf(image), (_, _) => { }, new BlockReaderOptions { VerifyChecksums = true });
        Assert.Equal(rebuilt.Pieces.Sum(piece => piece.Length), summary.DataBytes);
        Assert.Equal(summary.PartitionSize, summary.DataBytes + summary.AbsentBytes);
        Assert.True(summary.ChecksumsChecked > 0);
        Assert.Equal("partclone", summary.Format);
    }

    [Fact]
    public async Task ReadAsync_VerifyChecksums_DamagedBlockThrowsMismatch()
    {
        string damaged = corpus.PathOf("ext4.damaged.blockreader.pc");
        V2Layout layout = V2Layout.Read(corpus.PathOf("ext4.pc"));
        PartcloneTestImages.CorruptCopy(corpus.PathOf("ext4.pc"), damaged, layout.BlockOffset(3000) + 5);

        var error = await Assert.ThrowsAsync<VerificationMismatchException>(() =>
            ImageBlockReader.ReadAsync(damaged, (_, _) => { }, new BlockReaderOptions { VerifyChecksums = true }));
        Assert.Contains($"group {3000 / layout.BlocksPerChecksum}", error.Message);
        // Without verification the same image reads to the end.
        await ImageBlockReader.ReadAsync(damaged, (_, _) => { });
    }

    [Fact]
    public async Task ReadAsync_RawFile_OnePassOverEveryByte()
    {
        string raw = corpus.PathOf("fat-empty.raw");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long next = 0;
        BlockReadSummary summary = await ImageBlockReader.ReadAsync(raw, (offset, bytes) =>
        {
            Assert.Equal(next, offset);
            sha.AppendData(bytes);
            next = offset + bytes.Length;
        });
        Assert.Equal("raw", summary.Format);
        Assert.Equal(new FileInfo(raw).Length, summary.DataBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(raw))), Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
