using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Tests.TestSupport;
using ForensicPipe.Formats.Tests.Ntfsclone;

namespace ForensicPipe.Formats.Tests.ImageAccess;

[Collection(NtfscloneImageCollection.Name)]
public sealed class NtfscloneRandomAccessTests(NtfscloneImageFixture fixture)
{
    public static TheoryData<string> Images() => [.. NtfscloneImageFixture.FullImages.Keys, NtfscloneImageFixture.MetadataImage];

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Read_WholePartitionInOddPieces_EqualsNtfscloneRestore(string image)
    {
        using IRandomAccessImage access = await RandomAccessImage.OpenAsync(fixture.PathOf(image));
        Assert.IsType<NtfscloneRandomAccess>(access);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1_000_003];
        long offset = 0;
        int piece = 1;
        while (true)
        {
            int got = access.Read(offset, buffer.AsSpan(0, piece));
            if (got == 0)
            {
                break;
            }
            sha.AppendData(buffer, 0, got);
            offset += got;
            piece = (piece * 7 % buffer.Length) + 1;
        }

        Assert.Equal(access.Length, offset);
        Assert.Equal(fixture.RestoreSha256[image], Convert.ToHexStringLower(sha.GetHashAndReset()));
        Assert.Equal(image == NtfscloneImageFixture.MetadataImage, ((NtfscloneRandomAccess)access).IsMetadataImage);
    }

    [Theory]
    [InlineData("populated.ntfsclone")]
    [InlineData("cluster64k.ntfsclone")]
    [InlineData(NtfscloneImageFixture.MetadataImage)]
    public async Task Read_ThousandsOfRandomRanges_EqualTheSequentialReconstruction(string image)
    {
        byte[] expected = await ReconstructAsync(fixture.PathOf(image));
        Assert.Equal(fixture.RestoreSha256[image], Convert.ToHexStringLower(SHA256.HashData(expected)));
        using IRandomAccessImage access = await RandomAccessImage.OpenAsync(fixture.PathOf(image));
        int clusterSize = ((NtfscloneRandomAccess)access).Header.ClusterSize;
        var random = new Random(image.Length);
        byte[] buffer = new byte[300_000];
        for (int i = 0; i < 4000; i++)
        {
            // Every other read straddles a cluster boundary, where the tag byte between payloads is skipped.
            long offset = i % 2 == 0
                ? random.NextInt64(0, expected.Length + 10)
                : (random.NextInt64(1, expected.Length / clusterSize) * clusterSize) - random.Next(1, 100);
            int length = random.Next(2) == 0 ? random.Next(1, 9000) : random.Next(1, buffer.Length);
            int got = access.Read(offset, buffer.AsSpan(0, length));
            int want = (int)Math.Clamp(expected.Length - offset, 0, length);
            Assert.Equal(want, got);
            Assert.True(buffer.AsSpan(0, got).SequenceEqual(expected.AsSpan((int)Math.Min(offset, expected.Length), want)),
                $"bytes differ at [{offset}, +{length})");
        }
    }

    [Fact]
    public async Task Read_FromManyThreadsAtOnce_EveryReadCorrect()
    {
        byte[] expected = await ReconstructAsync(fixture.PathOf("populated.ntfsclone"));
        using IRandomAccessImage access = await RandomAccessImage.OpenAsync(fixture.PathOf("populated.ntfsclone"));
        await Parallel.ForAsync(0, 8, async (thread, _) =>
        {
            await Task.Yield();
            var random = new Random(thread);
            byte[] buffer = new byte[70_000];
            for (int i = 0; i < 500; i++)
            {
                long offset = random.NextInt64(0, expected.Length - buffer.Length);
                int length = random.Next(1, buffer.Length);
                Assert.Equal(length, access.Read(offset, buffer.AsSpan(0, length)));
                Assert.True(buffer.AsSpan(0, length).SequenceEqual(expected.AsSpan((int)offset, length)));
            }
        });
    }

    [Fact]
    public async Task Open_TruncatedImage_RefusedWithTheOffset()
    {
        byte[] full = File.ReadAllBytes(fixture.PathOf("populated.ntfsclone"));
        NtfscloneRecord last = NtfscloneRecordWalk.Walk(full)[^1];
        string path = Path.Combine(Path.GetTempPath(), $"fpipe-ra-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(path, full[..^10]);
        try
        {
            ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => RandomAccessImage.OpenAsync(path).AsTask());
            Assert.Equal(last.Offset + 1, error.ByteOffset);
            Assert.Contains("image truncated", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Open_VerifyReads_RefusedBecauseThereAreNoChecksums()
    {
        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() =>
            RandomAccessImage.OpenAsync(fixture.PathOf("empty.ntfsclone"), new RandomAccessOptions { VerifyReads = true }).AsTask());
        Assert.Contains("no checksums", error.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReconstructAsync(string image)
    {
        await using NtfscloneReader reader = NtfscloneReader.Open(image);
        return await ExtentDrain.ReconstructAsync(reader);
    }
}
