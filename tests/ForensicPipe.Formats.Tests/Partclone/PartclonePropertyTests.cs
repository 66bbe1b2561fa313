using System.Security.Cryptography;
using CsCheck;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Random valid partclone 0002 images from the independent writer (<see cref="SyntheticPartcloneImage"/>) in every
/// checksum mode (none, CRC-32, XXH64, XXH3-128; docs/formats/partclone.md, "Checksums"), with random bitmaps, block
/// sizes, blocks per checksum and reseed, against the model the writer holds (present blocks, zeros elsewhere):
/// the sequential reader rebuilds exactly the model with every stored value matching, and the random-access reader
/// returns the model's bytes at random offsets and lengths, with any index size, verified reads where the image
/// allows them.
/// </summary>
public sealed class PartclonePropertyTests
{
    private sealed record Case(SyntheticPartcloneImage Image, int IndexSize, (double At, int Length)[] Reads);

    private static readonly Gen<Case> s_cases =
        from blockSize in Gen.Frequency((3, Gen.OneOf(512, 1024, 4096)), (1, Gen.Int[1, 5000]))
        from total in Gen.Int[1, 600]
        from seed in Gen.Int
        from density in Gen.OneOf(Gen.Const(0), Gen.Const(100), Gen.Int[0, 100])
        from mode in Gen.OneOf((ushort)0x00, (ushort)0x20, (ushort)0x30, (ushort)0x31)
        from bpc in Gen.Frequency((6, Gen.UInt[1, 16]), (2, Gen.UInt[17, 700]))
        from reseed in Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false)))
        from tail in Gen.Int[0, 4095]
        from indexSize in Gen.OneOf(64, 128, 1024, 4096)
        from reads in Gen.Select(Gen.Double[0, 1], Gen.Int[1, 20000], (at, length) => (at, length)).Array[1, 12]
        select new Case(
            new SyntheticPartcloneImage(blockSize, total, ((long)total * blockSize) + tail, b => Hash(seed, b) % 100 < density,
                ChecksumMode: mode, BlocksPerChecksum: bpc, Reseed: reseed),
            indexSize, reads);

    private static int Hash(int seed, long block) => (int)((uint)HashCode.Combine(seed, block) % 1000);

    [Fact]
    public void RandomImage_SequentialReader_RebuildsTheModelWithEveryChecksumMatching()
    {
        s_cases.Sample(c =>
        {
            using var pool = new BufferPool(64 * 1024);
            var (info, result, log) = PartcloneTestImages.ReadAllAsync(c.Image.ToArray(), pool, maxChunk: 4093).GetAwaiter().GetResult();

            byte[] model = c.Image.Reconstruction();
            Assert.Equal(model.LongLength, info.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(model)), result.Sha256);
            Assert.Equal(c.Image.UsedBlocks * c.Image.BlockSize, result.DataBytes);
            Assert.Equal(0, log.MismatchCount);
            long groups = c.Image.ChecksumMode == 0 ? 0 : (c.Image.UsedBlocks + c.Image.BlocksPerChecksum - 1) / c.Image.BlocksPerChecksum;
            Assert.Equal(groups + 2, log.Checked);
            Assert.Equal(0, pool.Outstanding);
        }, iter: 120);
    }

    [Fact]
    public void RandomImage_RandomAccessReads_EqualTheModelAtAnyOffset()
    {
        using var folder = new TempDirectory();
        s_cases.Sample(c =>
        {
            // CsCheck runs cases on several threads at once: one file each.
            string path = folder.File($"{Guid.NewGuid():N}.pc");
            File.WriteAllBytes(path, c.Image.ToArray());
            byte[] model = c.Image.Reconstruction();
            // Verified reads need restartable checksums (docs/formats/partclone.md, "Random access").
            bool verify = c.Image.ChecksumMode != 0 && c.Image.Reseed;

            using var image = (PartcloneRandomAccess)RandomAccessImage.OpenAsync(path, new RandomAccessOptions { IndexSize = c.IndexSize, VerifyReads = verify })
                .AsTask().GetAwaiter().GetResult();

            ModelReads.AssertMatch(image, model, c.Reads);
            image.Dispose();
            File.Delete(path);
        }, iter: 120);
    }
}
