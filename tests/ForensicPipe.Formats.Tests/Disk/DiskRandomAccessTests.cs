using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Registry;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Disk;

public sealed class DiskRandomAccessTests
{
    private const string Remedy = "restore it first";

    [Fact]
    public async Task Read_AnyRange_EqualsTheDiskTheSequentialSourceStreams()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("part.img"), boot = folder.File("boot.bin"), plain = folder.File("plain.bin");
        await MakeExt4ImageAsync(raw, image, 4 << 20);
        File.WriteAllBytes(boot, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
        File.WriteAllBytes(plain, [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i % 253))]);
        // The image's partition is longer than its file system, the raw piece shorter than its partition: both are
        // padded with zeros, and the gaps between pieces are zeros too.
        DiskPiece[] pieces =
        [
            new(DiskPieceKind.Image, "sda1", 1 << 20, 5 << 20, image),
            new(DiskPieceKind.Bytes, "boot", 0, 4000, boot) { FileOffset = 1000 },
            new(DiskPieceKind.RawImage, "sda2", 7 << 20, 1 << 20, plain),
            new(DiskPieceKind.Swap, "sda3", 9 << 20, 1 << 20, null) { Swap = new DiskSwapSpec { Label = "s", Uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" } },
        ];
        const long size = 11 << 20;
        await using var source = new DiskSource("disk", size, pieces, ImageFormatRegistry.Default, "test");
        byte[] expected = await ExtentDrain.ReconstructAsync(source);
        using DiskRandomAccess disk = await DiskRandomAccess.OpenAsync("disk", "disk", size, pieces, ImageFormatRegistry.Default, new RandomAccessOptions(), Remedy);

        Assert.Equal(size, disk.Length);
        var random = new Random(5);
        byte[] buffer = new byte[700_000];
        for (int i = 0; i < 400; i++)
        {
            long offset = random.NextInt64(0, size + 10);
            int length = random.Next(1, buffer.Length);
            int got = disk.Read(offset, buffer.AsSpan(0, length));
            int want = (int)Math.Clamp(size - offset, 0, length);
            Assert.Equal(want, got);
            Assert.True(buffer.AsSpan(0, got).SequenceEqual(expected.AsSpan((int)Math.Min(offset, size), want)), $"bytes differ at [{offset}, +{length})");
        }
        using IRandomAccessImage partition = disk.Slice(disk.Pieces.Single(piece => piece.Name == "sda1"));
        byte[] whole = new byte[partition.Length];
        Assert.Equal(5 << 20, partition.Read(0, whole));
        Assert.True(whole.AsSpan().SequenceEqual(expected.AsSpan(1 << 20, 5 << 20)));
        Assert.True(whole.AsSpan(0, 4 << 20).SequenceEqual(File.ReadAllBytes(raw)));
    }

    [Fact]
    public async Task OpenAsync_CompressedImage_RefusedWithTheCallersRemedy()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("part.img");
        await MakeExt4ImageAsync(raw, image, 2 << 20);
        ToolResult gzip = await ExternalTool.RunAsync("gzip", ["-k", image]);
        Assert.True(gzip.ExitCode == 0, gzip.ToString());

        var error = await Assert.ThrowsAsync<RandomAccessRefusedException>(() => DiskRandomAccess.OpenAsync("folder", "clonezilla", 4 << 20,
            [new DiskPiece(DiskPieceKind.Image, "sda1", 0, 2 << 20, image + ".gz")], ImageFormatRegistry.Default, new RandomAccessOptions(), Remedy).AsTask());

        Assert.Equal($"folder: sda1: {image}.gz is gzip-compressed, which cannot be read at random offsets; {Remedy}", error.Message);
    }

    [Fact]
    public async Task OpenAsync_ImageLargerThanItsPartition_RefusedNamingBothSizes()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("part.img");
        await MakeExt4ImageAsync(raw, image, 2 << 20);

        var error = await Assert.ThrowsAsync<JobValidationException>(() => DiskRandomAccess.OpenAsync("folder", "clonezilla", 4 << 20,
            [new DiskPiece(DiskPieceKind.Image, "sda1", 0, 1 << 20, image)], ImageFormatRegistry.Default, new RandomAccessOptions(), Remedy).AsTask());

        Assert.Contains($"sda1: the partclone image {image} holds a {2 << 20}-byte partition, larger than its {1 << 20}-byte partition", error.Message);
    }

    private static async Task MakeExt4ImageAsync(string raw, string image, long size)
    {
        await using (FileStream file = File.Create(raw))
        {
            file.SetLength(size);
        }
        ToolResult mkfs = await ExternalTool.RunAsync("mkfs.ext4", ["-q", "-F", "-b", "1024", "-E", "root_owner=0:0", raw]);
        Assert.True(mkfs.ExitCode == 0, mkfs.ToString());
        ToolResult clone = await ExternalTool.RunAsync("partclone.extfs", ["-q", "-c", "-a", "1", "-k", "256", "-s", raw, "-O", image]);
        Assert.True(clone.ExitCode == 0, clone.ToString());
    }
}
