using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;
using static ForensicPipe.Formats.Tests.Partimage.PartimageImageEditor;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>Damaged copies of the real images: each damage must be caught, by the right check, at the right offset.</summary>
[Collection(PartimageCorpusCollection.Name)]
public sealed class PartimageCorruptionTests(PartimageCorpusFixture corpus)
{
    // corpus B ext2 (docs/formats/partimage.md, "Known-answer values"): data start 53596, 1024-byte blocks, 9155 used,
    // 143 CHK, 3072 unchecked bytes.
    private const long DataStart = 53596;
    private const long DataBytes = 9155L * 1024;
    private const int ChkCount = 143;

    private static long LogicalOfDataByte(long x) => DataStart + x + (16 * (x / 65536));

    private static long ChkOffset(long index) => DataStart + ((index + 1) * 65536) + (index * 16);

    private byte[] Ext2() => File.ReadAllBytes(corpus.FirstVolume("ext2.pimg"));

    [Fact]
    public async Task PartimageVerifier_FlippedDataByte_ChkMismatchWithImageAndPartitionOffsets()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        long x = (19 * 65536) + 1000;
        Set(image, LogicalOfDataByte(x), (byte)(image[512 + LogicalOfDataByte(x)] ^ 0x5A));
        await File.WriteAllBytesAsync(folder.File("bad.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("bad.pimg.000"));

        Assert.Null(outcome.Error);
        ChecksumResult chk = Assert.Single(outcome.Log.Mismatches, m => m.Kind == "CHK");
        Assert.Equal(19, chk.Index);
        Assert.Equal(ChkOffset(19), chk.ImageOffset);
        Assert.Equal(await PartitionOffsetOfDataByteAsync(19 * 65536), chk.PartitionOffset);
        Assert.Contains(outcome.Log.Mismatches, m => m.Kind == "tail"); // the tail sum covers the data too
        Assert.Equal(2, outcome.Log.MismatchCount);
        Assert.Equal(3 + ChkCount + 1, outcome.Log.Checked);
    }

    [Fact]
    public async Task PartimageVerifier_FlippedByteInTheUncheckedTail_OnlyTheTailSumFails()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        long at = LogicalOfDataByte(DataBytes - 100);
        byte before = image[512 + at];
        Set(image, at, (byte)(before ^ 0x01));
        await File.WriteAllBytesAsync(folder.File("bad.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("bad.pimg.000"));

        Assert.Null(outcome.Error);
        ChecksumResult tail = Assert.Single(outcome.Log.Mismatches);
        Assert.Equal("tail", tail.Kind);
        long tailOffset = ChkOffset(ChkCount - 1) + 16 + 3072 + 16;
        Assert.Equal(tailOffset, tail.ImageOffset);
        ulong stored = Convert.ToUInt64(tail.Expected, 16);
        ulong computed = Convert.ToUInt64(tail.Actual, 16);
        Assert.Equal((long)(before ^ 0x01) - before, (long)(computed - stored));
    }

    [Theory]
    [InlineData("main header sum", MainHeader + 600, MainHeader + 16384)]
    [InlineData("local header sum", LocalHeader + 40, LocalHeader + 16384)]
    [InlineData("info header sum", InfoHeader + 4112 + 16 + 100, InfoHeader + 4112 + 16 + 16384)]
    public async Task PartimageReader_FlippedHeaderByte_SumMismatchNamesTheHeaderAndOffset(string field, long flipAt, long sumOffset)
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        Set(image, flipAt, (byte)(image[512 + flipAt] ^ 0x20));
        await File.WriteAllBytesAsync(folder.File("bad.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("bad.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.True(outcome.Error.IsChecksumMismatch);
        Assert.Equal(field, outcome.Error.Field);
        Assert.Equal(sumOffset, outcome.Error.ByteOffset);
    }

    [Fact]
    public async Task PartimageVerifier_WrongChkPosition_PositionMismatchOnly()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        SetUInt64(image, ChkOffset(5) + 8, 999_999);
        await File.WriteAllBytesAsync(folder.File("bad.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("bad.pimg.000"));

        Assert.Null(outcome.Error);
        ChecksumResult position = Assert.Single(outcome.Log.Mismatches, m => m.Kind == "CHK position");
        Assert.Equal(5, position.Index);
        Assert.Equal("block 999999", position.Expected);
        Assert.DoesNotContain(outcome.Log.Mismatches, m => m.Kind == "CHK");
    }

    [Fact]
    public async Task PartimageReader_DamagedChkMagic_FormatErrorAtTheRecord()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        Set(image, ChkOffset(7) + 2, (byte)'X');
        await File.WriteAllBytesAsync(folder.File("bad.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("bad.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.False(outcome.Error.IsChecksumMismatch);
        Assert.Equal("CHK record 7", outcome.Error.Field);
        Assert.Equal(ChkOffset(7), outcome.Error.ByteOffset);
    }

    [Fact]
    public async Task PartimageReader_TruncatedVolume_ErrorWithTheOffsetWhereItEnds()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        await File.WriteAllBytesAsync(folder.File("cut.pimg.000"), image.AsMemory(0, 5_000_000));

        PartimageOutcome outcome = await ReadAsync(folder.File("cut.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.StartsWith("data block ", outcome.Error.Field, StringComparison.Ordinal);
        Assert.Contains($"it ends at logical byte {5_000_000 - 512}", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("file byte 5000000", outcome.Error.Message, StringComparison.Ordinal);
        Assert.InRange(outcome.Error.ByteOffset, 5_000_000 - 512 - 1024 - 16, 5_000_000 - 512);
    }

    [Fact]
    public async Task PartimageReader_TruncatedInsideTheTail_NamesTheTail()
    {
        using var folder = new TempDirectory();
        byte[] image = Ext2();
        await File.WriteAllBytesAsync(folder.File("cut.pimg.000"), image.AsMemory(0, image.Length - 100));

        PartimageOutcome outcome = await ReadAsync(folder.File("cut.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.Equal("tail", outcome.Error.Field);
        Assert.Equal(image.Length - 512 - 16384, outcome.Error.ByteOffset);
    }

    [Fact]
    public async Task PartimageReader_BytesAfterTheTail_AreAnError()
    {
        using var folder = new TempDirectory();
        byte[] image = [.. Ext2(), 0];
        await File.WriteAllBytesAsync(folder.File("long.pimg.000"), image);

        PartimageOutcome outcome = await ReadAsync(folder.File("long.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.Equal("end of image", outcome.Error.Field);
        Assert.Equal(image.Length - 1 - 512, outcome.Error.ByteOffset);
    }

    [Theory]
    [InlineData("ext2mv.pimg")]
    [InlineData("ext2mvgz.pimg")]
    [InlineData("ext2mvbz.pimg")]
    public async Task PartimageReader_MissingMiddleVolume_ErrorNamesTheFile(string name)
    {
        using var folder = new TempDirectory();
        IReadOnlyList<string> volumes = corpus.VolumeFiles(name);
        Assert.True(volumes.Count >= 3);
        foreach (string volume in volumes.Where(v => !v.EndsWith(".001", StringComparison.Ordinal)))
        {
            File.Copy(volume, folder.File(Path.GetFileName(volume)));
        }

        PartimageOutcome outcome = await ReadAsync(folder.File(name + ".000"));

        Assert.NotNull(outcome.Error);
        Assert.Contains($"the next volume {folder.File(name + ".001")} does not exist", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("end of volume 0", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartimageReader_TruncatedCompressedLastVolume_IsAnErrorNotAHang()
    {
        using var folder = new TempDirectory();
        IReadOnlyList<string> volumes = corpus.VolumeFiles("ext2mvgz.pimg");
        foreach (string volume in volumes.SkipLast(1))
        {
            File.Copy(volume, folder.File(Path.GetFileName(volume)));
        }
        byte[] last = await File.ReadAllBytesAsync(volumes[^1]);
        await File.WriteAllBytesAsync(folder.File(Path.GetFileName(volumes[^1])), last.AsMemory(0, last.Length / 2));

        PartimageOutcome outcome = await ReadAsync(folder.File("ext2mvgz.pimg.000"));

        Assert.NotNull(outcome.Error);
    }

    [Fact]
    public async Task PartimageReader_VolumeOfAnotherImage_IdentifierErrorNamesTheFile()
    {
        using var folder = new TempDirectory();
        foreach (string volume in corpus.VolumeFiles("ext2mv.pimg").Where(v => !v.EndsWith(".001", StringComparison.Ordinal)))
        {
            File.Copy(volume, folder.File(Path.GetFileName(volume)));
        }
        File.Copy(corpus.PathOf("ext2mvgz.pimg.001"), folder.File("ext2mv.pimg.001"));

        PartimageOutcome outcome = await ReadAsync(folder.File("ext2mv.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.Equal("volume identifier", outcome.Error.Field);
        Assert.Contains(folder.File("ext2mv.pimg.001"), outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartimageReader_VolumesOutOfOrder_NumberErrorNamesTheFile()
    {
        using var folder = new TempDirectory();
        File.Copy(corpus.PathOf("ext2mv.pimg.000"), folder.File("ext2mv.pimg.000"));
        File.Copy(corpus.PathOf("ext2mv.pimg.002"), folder.File("ext2mv.pimg.001"));

        PartimageOutcome outcome = await ReadAsync(folder.File("ext2mv.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.Equal("volume number", outcome.Error.Field);
        Assert.Contains("is volume 2, expected 1", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartimageReader_SecondVolumeGivenFirst_AsksForVolumeZero()
    {
        PartimageOutcome outcome = await ReadAsync(corpus.PathOf("ext2mv.pimg.001"));

        Assert.NotNull(outcome.Error);
        Assert.Equal("volume number", outcome.Error.Field);
        Assert.Contains("expected volume 0", outcome.Error.Message, StringComparison.Ordinal);
    }

    /// <summary>Partition offset of data byte <paramref name="x"/>: the block of rank x / 1024, found by walking the
    /// bitmap bits (docs/formats/partimage.md, "Bitmap and info header"), independent of the reader's run
    /// logic.</summary>
    private async Task<long> PartitionOffsetOfDataByteAsync(long x)
    {
        await using PartimageReader reader = PartimageReader.Open(corpus.FirstVolume("ext2.pimg"));
        await reader.OpenAsync(CancellationToken.None);
        long rank = x / 1024;
        for (long block = 0; block < reader.Bitmap.Length; block++)
        {
            if (reader.Bitmap.IsSet(block) && rank-- == 0)
            {
                return (block * 1024) + (x % 1024);
            }
        }
        throw new InvalidOperationException("data byte beyond the bitmap");
    }
}
