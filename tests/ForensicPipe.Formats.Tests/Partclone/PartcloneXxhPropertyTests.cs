using System.Security.Cryptography;
using CsCheck;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Random XXH64 / XXH3-128 images from the independent writer (<see cref="SyntheticPartcloneImage"/>: any block
/// size, bitmap, blocks per checksum and reseed) against a simple model: the reconstruction is the writer's,
/// every stored value matches, and one flipped byte anywhere in the data section is found in the group it
/// belongs to (with reseed off, a data byte also spoils every later group).
/// </summary>
public sealed class PartcloneXxhPropertyTests
{
    private sealed record Case(SyntheticPartcloneImage Image, double FlipAt, int ReadChunk);

    private static readonly Gen<Case> s_cases =
        from blockSize in Pick(1, 512, 1536, 4096)
        from total in Gen.Int[1, 200]
        from seed in Gen.Int
        from density in Gen.Int[0, 100]
        from mode in Pick((ushort)0x30, (ushort)0x31)
        from bpc in Gen.Frequency((6, Gen.UInt[1, 12]), (2, Gen.UInt[13, 300]), (1, Gen.Const(2560u)))
        from reseed in Gen.Bool
        from flipAt in Gen.Double[0, 1]
        from chunk in Pick(int.MaxValue, 7, 4096)
        select new Case(
            new SyntheticPartcloneImage(blockSize, total, (total * blockSize) + 3, b => Hash(seed, b) % 100 < density,
                ChecksumMode: mode, BlocksPerChecksum: bpc, Reseed: reseed),
            flipAt, chunk);

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static int Hash(int seed, long block) => (int)((uint)HashCode.Combine(seed, block) % 1000);

    [Fact]
    public void SyntheticXxhImage_ReconstructedAndEveryGroupMatches()
    {
        s_cases.Sample(c =>
        {
            byte[] image = c.Image.ToArray();
            using var pool = new BufferPool();
            var (_, result, log) = PartcloneTestImages.ReadAllAsync(image, pool, c.ReadChunk).GetAwaiter().GetResult();

            long used = c.Image.UsedBlocks;
            long groups = (used + c.Image.BlocksPerChecksum - 1) / c.Image.BlocksPerChecksum;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(c.Image.Reconstruction())), result.Sha256);
            Assert.Equal(0, log.MismatchCount);
            Assert.Equal(groups + 2, log.Checked);
            Assert.Equal(0, pool.Outstanding);
        }, iter: 150);
    }

    [Fact]
    public void SyntheticXxhImage_OneFlippedDataSectionByte_FoundInItsGroup()
    {
        s_cases.Where(c => c.Image.UsedBlocks > 0).Sample(c =>
        {
            byte[] image = c.Image.ToArray();
            long used = c.Image.UsedBlocks;
            int bs = c.Image.BlockSize;
            long bpc = c.Image.BlocksPerChecksum;
            int size = c.Image.ChecksumSize;
            long dataStart = 110 + ((c.Image.TotalBlocks + 7) / 8) + 4;
            long offset = dataStart + (long)(c.FlipAt * (image.Length - dataStart - 1));
            image[offset] ^= 0xFF;
            // Which group the byte is in, and whether it is a stored value or block data.
            long groupBytes = (bpc * bs) + size;
            long group = (offset - dataStart) / groupBytes;
            long into = (offset - dataStart) % groupBytes;
            long blocksInGroup = Math.Min(bpc, used - (group * bpc));
            bool inStoredValue = into >= blocksInGroup * bs;
            using var pool = new BufferPool();

            var (_, _, log) = PartcloneTestImages.ReadAllAsync(image, pool, c.ReadChunk).GetAwaiter().GetResult();

            long groups = (used + bpc - 1) / bpc;
            Assert.NotEqual(0, log.MismatchCount);
            ChecksumResult first = log.Mismatches[0];
            Assert.Equal(group, first.Index);
            Assert.Equal(inStoredValue || c.Image.Reseed ? 1 : groups - group, log.MismatchCount);
            Assert.Equal(0, pool.Outstanding);
        }, iter: 150);
    }
}
