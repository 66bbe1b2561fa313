using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Partclone;

[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneHeaderTests(PartcloneCorpusFixture corpus)
{
    [Theory]
    [InlineData("ext4.pc", "30edcefded8cc391dd777f8cc3d220920d4c515b9d4990807289eaee851ab39f")]
    [InlineData("ext4.a0.pc", "87ce97d96fc6c486e44e98c54bbfdd5546946653f1f850c282805f745f95d712")]
    [InlineData("ext4.k1.pc", "602629ccfc10384456b1da3de452a0c3c116415b5f2ef58faa7506e65dbecfd7")]
    [InlineData("ext4.k1000.pc", "b8b24074dbea4a1b50c0315a9088813f0f546d72ef1a30f83e9843854e63c76f")]
    [InlineData("ext4.K.pc", "07b28ee4e9bbc8563efee472a71928f5ee6312536bf461e548ae3da51b8ffc28")]
    [InlineData("fat-empty.pc", "68097c4232ff1e0b79fd75f9ab90f2551c5cefda22adc55b9a75972234d2e914")]
    [InlineData("ntfs-empty.pc", "5cb103d895723738534f96762fd334dbdfbf8b32da846c11fca3e0ff01536e86")]
    [InlineData("ext4.raw", "41036b434c98528a362926eae5a04878cc43751700fdc133a443470fb7a94381")]
    [InlineData("fat-empty.raw", "749cbfdf081ba399f7e7084dbf186b99027e9d1fd0f16aaae4b746477098d3a7")]
    [InlineData("ntfs-empty.raw", "16424294a674ea05baa52cbb2c1a7f90419ac98ffdf61ebd83e77da4c77bb129")]
    public async Task Corpus_Files_MatchFormatsVectors(string file, string sha256)
    {
        // docs/formats/partclone.md, "Known-answer values": mkcorpus.sh is deterministic; a different hash means a
        // different tool version.
        await using FileStream stream = File.OpenRead(corpus.PathOf(file));
        Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
    }

    [Theory]
    // image, bs, total, used, mode, bpc, reseed, checksums, header CRC, bitmap CRC, data_start, size
    [InlineData("ext4.pc", 1024, 65536, 16156, 0x20, 1024, true, 16, "00c8b5ac", "bd7f5d0a", 8306, 16552114)]
    [InlineData("ext4.a0.pc", 1024, 65536, 16156, 0x00, 0, true, 0, "3e5f1e46", "bd7f5d0a", 8306, 16552050)]
    [InlineData("ext4.k1.pc", 1024, 65536, 16156, 0x20, 1, true, 16156, "3e14c0c9", "bd7f5d0a", 8306, 16616674)]
    [InlineData("ext4.k1000.pc", 1024, 65536, 16156, 0x20, 1000, true, 17, "48fff053", "bd7f5d0a", 8306, 16552118)]
    [InlineData("ext4.K.pc", 1024, 65536, 16156, 0x20, 1024, false, 16, "19d384ed", "bd7f5d0a", 8306, 16552114)]
    [InlineData("fat-empty.pc", 512, 131072, 2051, 0x20, 2048, true, 2, "cab71494", null, 16498, 1066618)]
    [InlineData("ntfs-empty.pc", 4096, 24575, 625, 0x20, 256, true, 3, "8fd2e92c", null, 3186, 2563198)]
    public async Task PartcloneReader_CorpusB_HeaderMatchesFormatsVectors(
        string image, int blockSize, long total, long used, int mode, long bpc, bool reseed, long checksums,
        string headerCrc, string? bitmapCrc, long dataStart, long size)
    {
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(image));
        await reader.OpenAsync(CancellationToken.None);
        PartcloneHeader header = reader.Header;

        Assert.Equal(PartcloneImageVersion.V2, header.FormatVersion);
        Assert.Equal("0.3.23", header.PartcloneVersion);
        Assert.Equal((ushort)64, header.CpuBits);
        Assert.Equal(18u, header.FeatureSize);
        Assert.Equal((ushort)2, header.ImageVersion);
        Assert.Equal(PartcloneHeader.BitmapModeBit, header.BitmapMode);
        Assert.Equal(blockSize, header.BlockSize);
        Assert.Equal(total, header.TotalBlocks);
        Assert.Equal(used, header.UsedBlocks);
        Assert.Equal(mode, (int)header.ChecksumMode);
        Assert.Equal(mode == 0 ? 0 : 4, header.ChecksumSize);
        Assert.Equal(bpc, header.BlocksPerChecksum);
        Assert.Equal(reseed, header.Reseed);
        Assert.Equal(checksums, header.ChecksumCount);
        Assert.Equal(headerCrc, header.HeaderCrc?.ToString("x8"));
        Assert.Equal(headerCrc, header.HeaderCrcComputed?.ToString("x8"));
        if (bitmapCrc is not null)
        {
            Assert.Equal(bitmapCrc, reader.BitmapChecksum!.Expected);
        }
        Assert.True(reader.BitmapChecksum!.Matches);
        Assert.Equal(dataStart, header.DataStart);
        Assert.Equal(size, header.ExpectedImageSize);
        Assert.Equal(size, new FileInfo(corpus.PathOf(image)).Length);
    }

    [Fact]
    public void PartcloneHeader_Parse_ComputesLayoutOfEveryPart()
    {
        byte[] bytes = File.ReadAllBytes(corpus.PathOf("ext4.k1000.pc"))[..110];

        PartcloneHeader header = PartcloneHeader.Parse(bytes);

        Assert.Equal("EXTFS", header.FileSystem);
        Assert.Equal(110, header.BitmapOffset);
        Assert.Equal(8192, header.BitmapSize);
        Assert.Equal(8302, header.BitmapTrailerOffset);
        Assert.Equal(8306, header.DataStart);
        Assert.Equal(64L << 20, header.PartitionSize);
        // docs/formats/partclone.md, "Format 0002: data and checksum interleave": 17 checksums, the last one covering
        // the remaining 156 blocks.
        Assert.Equal(8306 + (1000 * 1024), header.GetChecksumImageOffset(0));
        Assert.Equal(8306 + (1000 * 1024) + 4, header.GetBlockImageOffset(1000));
        Assert.Equal(16552118 - 4, header.GetChecksumImageOffset(16));
        Assert.Equal("CRC32", header.ChecksumModeName);
    }

    [Fact]
    public void PartcloneHeader_Parse_TooShort_Throws()
    {
        byte[] bytes = File.ReadAllBytes(corpus.PathOf("ext4.pc"))[..100];

        ImageFormatException error = Assert.Throws<ImageFormatException>(() => PartcloneHeader.Parse(bytes));

        Assert.Equal("header", error.Field);
        Assert.Contains("ends at byte 100", error.Message);
    }
}
