using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ntfsclone;

/// <summary>
/// Random valid ntfsclone 10.1 images from a test-side writer (docs/formats/ntfsclone.md, "Header" and "Record
/// stream": 56-byte header, cluster and gap records, the final partial record of the backup boot sector) against
/// the model it holds: the sequential reader (from a pipe and from the file, which reads in one pass or scans) and
/// the random-access reader give the model's bytes (stored clusters, the backup boot sector, zeros elsewhere).
/// </summary>
public sealed class NtfsclonePropertyTests
{
    private const int HeaderSize = 56;

    private sealed record Image(int ClusterSize, long Clusters, int LastBytes, bool[] Present, int Seed)
    {
        public long DeviceSize => (Clusters * ClusterSize) + LastBytes;

        public byte[] Cluster(long lcn)
        {
            var bytes = new byte[lcn == Clusters ? LastBytes : ClusterSize];
            new Random(HashCode.Combine(Seed, lcn)).NextBytes(bytes);
            return bytes;
        }

        public byte[] Model()
        {
            var partition = new byte[DeviceSize];
            for (long lcn = 0; lcn <= Clusters; lcn++)
            {
                if (lcn == Clusters || Present[lcn])
                {
                    Cluster(lcn).CopyTo(partition, lcn * ClusterSize);
                }
            }
            return partition;
        }

        public byte[] ToArray()
        {
            using var output = new MemoryStream();
            var header = new byte[HeaderSize];
            "\0ntfsclone-image"u8.CopyTo(header);
            header[16] = 10;
            header[17] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), (uint)ClusterSize);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(22), (ulong)DeviceSize);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(30), Clusters);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(38), (ulong)Present.Count(p => p));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(46), HeaderSize);
            output.Write(header);
            long gap = 0;
            for (long lcn = 0; lcn <= Clusters; lcn++)
            {
                if (lcn < Clusters && !Present[lcn])
                {
                    gap++;
                    continue;
                }
                if (gap > 0)
                {
                    output.WriteByte(0x00);
                    var count = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(count, gap);
                    output.Write(count);
                    gap = 0;
                }
                output.WriteByte(0x01);
                output.Write(Cluster(lcn));
            }
            return output.ToArray();
        }
    }

    private static readonly Gen<Image> s_images =
        from clusterSize in Gen.OneOf(512, 1024, 4096)
        from clusters in Gen.Long[1, 400]
        from lastBytes in Gen.OneOf(Gen.Const(512), Gen.Int[1, 512])
        from density in Gen.OneOf(Gen.Const(0), Gen.Const(100), Gen.Int[0, 100])
        from seed in Gen.Int
        select new Image(clusterSize, clusters, Math.Min(lastBytes, clusterSize), Bits(seed, clusters, density), seed);

    private static bool[] Bits(int seed, long count, int density)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, (int)count).Select(_ => random.Next(100) < density)];
    }

    [Fact]
    public void RandomImage_SequentialReaderFromPipeAndFile_RebuildsTheModel()
    {
        using var folder = new TempDirectory();
        s_images.Sample(image =>
        {
            byte[] bytes = image.ToArray();
            string expected = Convert.ToHexStringLower(SHA256.HashData(image.Model()));
            string path = folder.File($"{Guid.NewGuid():N}.img");
            File.WriteAllBytes(path, bytes);

            Assert.Equal(expected, Drain(new NtfscloneReader(new NonSeekableStream(new MemoryStream(bytes), 4093), "pipe")));
            Assert.Equal(expected, Drain(NtfscloneReader.Open(path)));
            File.Delete(path);
        }, iter: 100);
    }

    [Fact]
    public void RandomImage_RandomAccessReads_EqualTheModelAtAnyOffset()
    {
        using var folder = new TempDirectory();
        (from image in s_images
         from reads in Gen.Select(Gen.Double[0, 1], Gen.Int[1, 20000], (at, length) => (at, length)).Array[1, 12]
         select (image, reads)).Sample(c =>
        {
            byte[] model = c.image.Model();
            string path = folder.File($"{Guid.NewGuid():N}.img");
            File.WriteAllBytes(path, c.image.ToArray());
            using (IRandomAccessImage image = RandomAccessImage.OpenAsync(path).AsTask().GetAwaiter().GetResult())
            {
                Assert.IsType<NtfscloneRandomAccess>(image);
                ModelReads.AssertMatch(image, model, c.reads);
            }
            File.Delete(path);
        }, iter: 100);
    }

    private static string Drain(IExtentSource source)
    {
        using var pool = new BufferPool(64 * 1024);
        try
        {
            SourceInfo info = source.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            DrainResult result = ExtentDrain.DrainAsync(source, info, pool).GetAwaiter().GetResult();
            Assert.Equal(0, pool.Outstanding);
            return result.Sha256;
        }
        finally
        {
            source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
