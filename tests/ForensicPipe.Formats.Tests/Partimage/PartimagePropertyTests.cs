using System.Security.Cryptography;
using CsCheck;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>
/// Random valid partimage 0.6.1 images from the test-side writer (<see cref="SyntheticPartimageImage"/>, written from
/// docs/formats/partimage.md: headers with their signed-byte sums, bitmap with bits set beyond block_count, CHK records
/// with copy-run positions, tail sum) with random block sizes, bitmaps and volume splits, against the model the writer
/// holds: the sequential reader (from a pipe, and from the volume files) rebuilds exactly the model with every CHK and
/// the tail sum matching, and the random-access reader returns the model's bytes at random offsets and lengths with
/// verified reads.
/// </summary>
public sealed class PartimagePropertyTests
{
    private static readonly Gen<SyntheticPartimageImage> s_images =
        from blockSize in Gen.Frequency((3, Gen.OneOf(512, 1024, 4096)), (1, Gen.Int[1, 5000]))
        from count in Gen.Int[1, 600]
        from tail in Gen.Int[0, 4095]
        from density in Gen.OneOf(Gen.Const(0), Gen.Const(100), Gen.Int[0, 100])
        from seed in Gen.Int
        from extra in Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[1, 40]))
        from fileSystem in Gen.OneOf("ext2fs", "fat32", "ntfs", "xfs")
        from splits in Gen.Frequency((2, Gen.Const(Array.Empty<double>())), (1, Gen.Double[0, 1].Array[1, 3]))
        select Image(blockSize, count, tail, density, seed, extra, fileSystem, splits);

    private static SyntheticPartimageImage Image(int blockSize, int count, int tail, int density, int seed, int extra, string fileSystem, double[] splits)
    {
        var image = new SyntheticPartimageImage(blockSize, count, ((long)count * blockSize) + tail,
            block => (uint)HashCode.Combine(seed, block) % 100 < density, seed, extra, fileSystem);
        if (splits.Length == 0)
        {
            return image;
        }
        // Cut points anywhere inside the logical stream (every volume holds at least one byte): inside headers,
        // magics, blocks and CHK records alike.
        long length = image.LogicalStream().LongLength;
        long[] cuts = [.. splits.Select(at => 1 + (long)(at * (length - 2))).Distinct().Order()];
        return image with { SplitAt = cuts };
    }

    [Fact]
    public void RandomImage_SequentialReaderFromPipeAndVolumes_RebuildsTheModelWithEveryChecksumMatching()
    {
        using var folder = new TempDirectory();
        s_images.Sample(image =>
        {
            string expected = Convert.ToHexStringLower(SHA256.HashData(image.Reconstruction()));
            // CsCheck runs cases on several threads at once: a folder each.
            string dir = folder.File(Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string first = image.WriteVolumes(dir, "image");

            (DrainResult fromFiles, VerificationLog filesLog) = Drain(PartimageReader.Open(first));
            Assert.Equal(expected, fromFiles.Sha256);
            Assert.Equal(image.UsedBlocks * image.BlockSize, fromFiles.DataBytes);
            Assert.Equal(0, filesLog.MismatchCount);
            Assert.True(filesLog.Checked > image.UsedBlocks * image.BlockSize / 65536, $"{filesLog.Checked} checks");
            if (image.VolumeCount == 1)
            {
                var pipe = SequentialImage.Open(new NonSeekableStream(new MemoryStream(image.SingleVolume()), 4093), "pipe");
                (DrainResult fromPipe, VerificationLog pipeLog) = Drain(new PartimageReader(pipe));
                Assert.Equal(expected, fromPipe.Sha256);
                Assert.Equal(0, pipeLog.MismatchCount);
                Assert.Equal(filesLog.Checked, pipeLog.Checked);
            }
            Directory.Delete(dir, recursive: true);
        }, iter: 60);
    }

    [Fact]
    public void RandomImage_RandomAccessVerifiedReads_EqualTheModelAtAnyOffset()
    {
        using var folder = new TempDirectory();
        (from image in s_images
         from reads in Gen.Select(Gen.Double[0, 1], Gen.Int[1, 20000], (at, length) => (at, length)).Array[1, 12]
         select (image, reads)).Sample(c =>
        {
            byte[] model = c.image.Reconstruction();
            string dir = folder.File(Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string first = c.image.WriteVolumes(dir, "image");
            using (IRandomAccessImage image = RandomAccessImage.OpenAsync(first, new RandomAccessOptions { VerifyReads = true }).AsTask().GetAwaiter().GetResult())
            {
                Assert.IsType<PartimageRandomAccess>(image);
                ModelReads.AssertMatch(image, model, c.reads);
            }
            Directory.Delete(dir, recursive: true);
        }, iter: 60);
    }

    private static (DrainResult Result, VerificationLog Log) Drain(IExtentSource source)
    {
        using var pool = new BufferPool(64 * 1024);
        var log = new VerificationLog();
        try
        {
            SourceInfo info = source.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            DrainResult result = ExtentDrain.DrainAsync(source, info, pool, log: log).GetAwaiter().GetResult();
            Assert.Equal(0, pool.Outstanding);
            return (result, log);
        }
        finally
        {
            source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
