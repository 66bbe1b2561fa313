using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.Registry;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Disk;

public sealed class DiskSourceTests
{
    [Fact]
    public async Task ReadAsync_PiecesListedOutOfOrder_StreamOnceInOffsetOrderWithAbsentGaps()
    {
        using var folder = new TempDirectory();
        string a = folder.File("a.bin"), b = folder.File("b.bin");
        File.WriteAllBytes(a, [.. Enumerable.Range(0, 5000).Select(i => (byte)i)]);
        File.WriteAllBytes(b, [.. Enumerable.Range(0, 3000).Select(i => (byte)(255 - (i % 251)))]);
        DiskPiece[] pieces =
        [
            new(DiskPieceKind.Swap, "swap", 64 * 1024, 64 * 1024, null) { Swap = new DiskSwapSpec { Label = "s", Uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" } },
            new(DiskPieceKind.Bytes, "b", 20_000, 2000, b) { FileOffset = 1000 },
            new(DiskPieceKind.Bytes, "a", 0, 5000, a),
        ];
        await using var source = new DiskSource("disk", 256 * 1024, pieces, ImageFormatRegistry.Default, "test");

        byte[] disk = await ExtentDrain.ReconstructAsync(source);

        byte[] expected = new byte[256 * 1024];
        File.ReadAllBytes(a).CopyTo(expected, 0);
        File.ReadAllBytes(b).AsSpan(1000, 2000).CopyTo(expected.AsSpan(20_000));
        SwapHeader.Write(expected.AsSpan(64 * 1024, 4096), 64 * 1024, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "s");
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(disk));
        Assert.Equal(["a", "b", "swap"], source.Pieces.Select(piece => piece.Name));
    }

    [Theory]
    [InlineData(0, 100, 50, 100, "overlaps")]
    [InlineData(0, 100, 4000, 200, "past the end")]
    [InlineData(-5, 10, 100, 10, "do not make a piece")]
    public void Constructor_BadLayout_RefusedBeforeAnythingIsOpened(long firstOffset, long firstLength, long secondOffset, long secondLength, string expected)
    {
        DiskPiece[] pieces =
        [
            new(DiskPieceKind.Bytes, "one", firstOffset, firstLength, "/nonexistent/one"),
            new(DiskPieceKind.Bytes, "two", secondOffset, secondLength, "/nonexistent/two"),
        ];

        var error = Assert.Throws<JobValidationException>(() => new DiskSource("disk", 4096, pieces, ImageFormatRegistry.Default, "job.json"));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task OpenAsync_FileShorterThanItsPiece_RefusedNamingTheFile()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("mbr"), new byte[300]);
        await using var source = new DiskSource("disk", 4096, [new DiskPiece(DiskPieceKind.Bytes, "boot code", 0, 446, folder.File("mbr"))], ImageFormatRegistry.Default, "f");

        var error = await Assert.ThrowsAsync<JobValidationException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("has 300 bytes; the piece needs bytes 0..446", error.Message);
    }

    [Fact]
    public async Task PartitionImage_AtItsStart_ReconstructsAndVerifiesThroughTheImagesOwnChecks()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("part.img");
        await MakeExt4ImageAsync(raw, image, 8 << 20);
        const long start = 1 << 20;
        await using var source = new DiskSource("disk", 12 << 20, [new DiskPiece(DiskPieceKind.Image, "sda1", start, 9 << 20, image)], ImageFormatRegistry.Default, "f");

        using var pool = new BufferPool();
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();
        using var output = new MemoryStream();
        await ExtentDrain.DrainAsync(source, info, pool, output, log);

        byte[] disk = output.ToArray();
        byte[] partition = File.ReadAllBytes(raw);
        Assert.True(disk.AsSpan((int)start, partition.Length).SequenceEqual(partition));
        Assert.True(disk.AsSpan(0, (int)start).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(log.Checked > 2);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartitionImage_DamagedData_MismatchNamesTheImageFileAndGroup()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("sda1.ext4-ptcl-img.uncomp");
        await MakeExt4ImageAsync(raw, image, 8 << 20);
        byte[] bytes = File.ReadAllBytes(image);
        bytes[^5000] ^= 0x10;
        File.WriteAllBytes(image, bytes);
        await using var source = new DiskSource("disk", 10 << 20, [new DiskPiece(DiskPieceKind.Image, "sda1", 1 << 20, 8 << 20, image)], ImageFormatRegistry.Default, "f");

        using var pool = new BufferPool();
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();
        await ExtentDrain.DrainAsync(source, info, pool, null, log);

        Assert.Equal(1, log.MismatchCount);
        Assert.StartsWith("sda1 (sda1.ext4-ptcl-img.uncomp): group ", log.Mismatches[0].ToString());
        Assert.Contains("stored at image byte", log.Mismatches[0].ToString());
    }

    [Fact]
    public async Task OpenAsync_ImageLargerThanItsPartition_RefusedBeforeReading()
    {
        using var folder = new TempDirectory();
        string raw = folder.File("part.raw"), image = folder.File("part.img");
        await MakeExt4ImageAsync(raw, image, 8 << 20);
        await using var source = new DiskSource("disk", 16 << 20, [new DiskPiece(DiskPieceKind.Image, "sda1", 1 << 20, 4 << 20, image)], ImageFormatRegistry.Default, "f");

        var error = await Assert.ThrowsAsync<JobValidationException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("holds a 8388608-byte partition, larger than its 4194304-byte partition at disk byte 1048576", error.Message);
    }

    [Fact]
    public async Task RawImage_LongerThanItsPartition_RefusedAtOpen()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("sda2.dd-ptcl-img.uncomp"), new byte[8192]);
        await using var source = new DiskSource("disk", 1 << 20, [new DiskPiece(DiskPieceKind.RawImage, "sda2", 4096, 4096, folder.File("sda2.dd-ptcl-img.uncomp"))], ImageFormatRegistry.Default, "f");

        var error = await Assert.ThrowsAsync<JobValidationException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("has 8192 bytes, more than its 4096-byte partition", error.Message);
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
