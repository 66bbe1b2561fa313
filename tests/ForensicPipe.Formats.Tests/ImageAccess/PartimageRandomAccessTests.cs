using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;
using ForensicPipe.Formats.Tests.Partimage;

namespace ForensicPipe.Formats.Tests.ImageAccess;

[Collection(PartimageCorpusCollection.Name)]
public sealed class PartimageRandomAccessTests(PartimageCorpusFixture corpus)
{
    // ntfs.pimg of the fixture is gzip-compressed, so it is not here.
    public static TheoryData<string> UncompressedImages() => ["ext2.pimg", "ext2mv.pimg", "fat.pimg", "tiny.pimg"];

    [Theory]
    [MemberData(nameof(UncompressedImages))]
    public async Task Read_WholePartitionInOddPieces_EqualsPartimageRestore(string image)
    {
        using IRandomAccessImage access = await RandomAccessImage.OpenAsync(corpus.FirstVolume(image));
        Assert.IsType<PartimageRandomAccess>(access);
        Assert.Equal(corpus.VolumeFiles(image), ((PartimageRandomAccess)access).VolumeFiles);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[700_001];
        long offset = 0;
        int piece = 3;
        int got;
        while ((got = access.Read(offset, buffer.AsSpan(0, piece))) > 0)
        {
            sha.AppendData(buffer, 0, got);
            offset += got;
            piece = (piece * 13 % buffer.Length) + 1;
        }

        Assert.Equal(access.Length, offset);
        Assert.Equal(corpus.PartimageRestoreSha256(image), Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    [Theory]
    [InlineData("ext2mv.pimg")]
    [InlineData("ext2.pimg")]
    [InlineData("fat.pimg")]
    public async Task Read_ThousandsOfRandomRanges_EqualTheSequentialReconstruction(string image)
    {
        byte[] expected = await ReconstructAsync(corpus.FirstVolume(image));
        using IRandomAccessImage access = await RandomAccessImage.OpenAsync(corpus.FirstVolume(image), new RandomAccessOptions { VerifyReads = true });
        var random = new Random(image.Length);
        byte[] buffer = new byte[300_000];
        for (int i = 0; i < 4000; i++)
        {
            // Half the reads start a few bytes before a block boundary, so runs, CHK records (every 64 KiB of data) and
            // volume boundaries are crossed in every way.
            long offset = i % 2 == 0
                ? random.NextInt64(0, expected.Length + 10)
                : (random.NextInt64(1, expected.Length / 512) * 512) - random.Next(1, 40);
            int length = random.Next(2) == 0 ? random.Next(1, 5000) : random.Next(1, buffer.Length);
            int got = access.Read(offset, buffer.AsSpan(0, length));
            int want = (int)Math.Clamp(expected.Length - offset, 0, length);
            Assert.Equal(want, got);
            Assert.True(buffer.AsSpan(0, got).SequenceEqual(expected.AsSpan((int)Math.Min(offset, expected.Length), want)),
                $"bytes differ at [{offset}, +{length})");
        }
    }

    [Fact]
    public async Task Read_VerifyReads_FlippedDataByteFailsThatGroupWithItsOffset()
    {
        string copy = Path.Combine(Path.GetTempPath(), $"fpipe-pi-ra-{Guid.NewGuid():N}.000");
        File.Copy(corpus.FirstVolume("ext2.pimg"), copy);
        try
        {
            long dataStart;
            await using (PartimageReader reader = PartimageReader.Open(copy))
            {
                await reader.OpenAsync(CancellationToken.None);
                dataStart = reader.DataStart;
            }
            // Data byte 70000 lies in CHK group 1, after the first CHK record (file offset = 512 + logical).
            long fileOffset = 512 + dataStart + 70000 + 16;
            using (FileStream file = File.Open(copy, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = fileOffset;
                int value = file.ReadByte();
                file.Position = fileOffset;
                file.WriteByte((byte)(value ^ 0x5A));
            }

            using IRandomAccessImage access = await RandomAccessImage.OpenAsync(copy, new RandomAccessOptions { VerifyReads = true });
            byte[] buffer = new byte[1 << 20];
            ImageFormatException error = Assert.Throws<ImageFormatException>(() =>
            {
                for (long offset = 0; access.Read(offset, buffer) > 0; offset += buffer.Length)
                {
                }
            });
            Assert.True(error.IsChecksumMismatch);
            Assert.Equal("CHK 1", error.Field);
            Assert.Equal(dataStart + (2 * 65536) + 16, error.ByteOffset);

            using IRandomAccessImage unchecked_ = await RandomAccessImage.OpenAsync(copy);
            Assert.Equal(buffer.Length, unchecked_.Read(0, buffer)); // without --verify-reads the same bytes read
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task Open_TruncatedLastVolume_RefusedWithTheEnd()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"fpipe-pi-ra-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            IReadOnlyList<string> volumes = corpus.VolumeFiles("ext2mv.pimg");
            foreach (string volume in volumes)
            {
                File.Copy(volume, Path.Combine(folder, Path.GetFileName(volume)));
            }
            string last = Path.Combine(folder, Path.GetFileName(volumes[^1]));
            using (FileStream file = File.Open(last, FileMode.Open, FileAccess.ReadWrite))
            {
                file.SetLength(file.Length - 1000);
            }

            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() =>
                RandomAccessImage.OpenAsync(Path.Combine(folder, "ext2mv.pimg.000")).AsTask());
            Assert.Equal("end of image", error.Field);
            Assert.Contains("random access needs the complete image", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<byte[]> ReconstructAsync(string image)
    {
        await using PartimageReader reader = PartimageReader.Open(image);
        return await ExtentDrain.ReconstructAsync(reader);
    }
}
