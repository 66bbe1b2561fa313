using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;
using static ForensicPipe.Formats.Tests.Partimage.PartimageImageEditor;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>Bogus header fields (with their sums made right, so the field checks are reached), random damage and
/// non-images: always one <see cref="ImageFormatException"/> naming the field, never a crash, a hang or an
/// allocation sized by a header field.</summary>
[Collection(PartimageCorpusCollection.Name)]
public sealed class PartimageBadInputTests(PartimageCorpusFixture corpus)
{
    private const long PartitionSizeField = MainHeader + 9592;
    private const long MbrCountField = MainHeader + 9792;
    private const long BlockSizeField = LocalHeader + 0;
    private const long UsedBlocksField = LocalHeader + 8;
    private const long BlockCountField = LocalHeader + 16;
    private const long BitmapSizeField = LocalHeader + 24;

    private async Task<PartimageOutcome> ReadEditedAsync(Action<byte[]> edit, string source = "ext2.pimg")
    {
        using var folder = new TempDirectory();
        byte[] image = await File.ReadAllBytesAsync(corpus.FirstVolume(source));
        edit(image);
        await File.WriteAllBytesAsync(folder.File("edited.pimg.000"), image);
        return await ReadAsync(folder.File("edited.pimg.000"));
    }

    [Theory]
    [InlineData("bitmap_size", BitmapSizeField, 1UL << 60)]
    [InlineData("bitmap_size", BitmapSizeField, 100UL)]
    [InlineData("block_size", BlockSizeField, 1UL << 40)]
    [InlineData("block_size", BlockSizeField, 0UL)]
    [InlineData("block_count", BlockCountField, 1UL << 62)]
    [InlineData("used_blocks", UsedBlocksField, 1UL << 50)]
    [InlineData("used_blocks", UsedBlocksField, 9154UL)]
    public async Task PartimageReader_BogusLocalHeaderField_ErrorNamesTheFieldAndOffset(string field, long offset, ulong value)
    {
        PartimageOutcome outcome = await ReadEditedAsync(image =>
        {
            SetUInt64(image, offset, value);
            FixSum(image, LocalHeader);
        });

        Assert.NotNull(outcome.Error);
        Assert.False(outcome.Error.IsChecksumMismatch);
        Assert.Equal(field, outcome.Error.Field);
        Assert.Equal(offset, outcome.Error.ByteOffset);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mbr_count", MbrCountField, uint.MaxValue)]
    [InlineData("compression", MainHeader + 9540, 3u)]
    [InlineData("encryption", MainHeader + 9800, 1u)]
    public async Task PartimageReader_BogusMainHeaderField_ErrorNamesTheFieldAndOffset(string field, long offset, uint value)
    {
        PartimageOutcome outcome = await ReadEditedAsync(image =>
        {
            SetUInt32(image, offset, value);
            FixSum(image, MainHeader);
        });

        Assert.NotNull(outcome.Error);
        Assert.Equal(field, outcome.Error.Field);
        Assert.Equal(offset, outcome.Error.ByteOffset);
    }

    [Fact]
    public async Task PartimageReader_HugeExtensionLength_RefusedBeforeSkipping()
    {
        long extension3Length = 16384 + 4 + 21 + (3 * 22) + 18;
        PartimageOutcome outcome = await ReadEditedAsync(image => SetUInt32(image, extension3Length, 0x7FFFFFFF));

        Assert.NotNull(outcome.Error);
        Assert.Equal("extension 3 length", outcome.Error.Field);
        Assert.Equal(extension3Length, outcome.Error.ByteOffset);
    }

    [Fact]
    public async Task PartimageReader_ConsistentHugeBitmapClaim_AllocatesOnlyWhatArrives()
    {
        // A 2^35-block partition claims a 4 GiB bitmap; the file holds 9 MB after it. The bitmap storage grows
        // with the bytes read, so the error is a truncation, and far less than 4 GiB is ever allocated.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        PartimageOutcome outcome = await ReadEditedAsync(image =>
        {
            SetUInt64(image, PartitionSizeField, 1UL << 45);
            FixSum(image, MainHeader);
            SetUInt64(image, BlockCountField, 1UL << 35);
            SetUInt64(image, BitmapSizeField, 1UL << 32);
            FixSum(image, LocalHeader);
        });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.NotNull(outcome.Error);
        Assert.Equal("bitmap", outcome.Error.Field);
        Assert.Contains("truncated", outcome.Error.Message, StringComparison.Ordinal);
        Assert.True(allocated < (1L << 30), $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task PartimageReader_MbrCountWithoutRecords_FailsAtTheNextMagic()
    {
        PartimageOutcome outcome = await ReadEditedAsync(image =>
        {
            SetUInt32(image, MbrCountField, 3);
            FixSum(image, MainHeader);
        });

        Assert.NotNull(outcome.Error);
        Assert.Equal("MAGIC-BEGIN-EXT000", outcome.Error.Field);
        Assert.Equal(16384 + 4 + 21 + (3 * 2048), outcome.Error.ByteOffset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(512)]
    [InlineData(600)]
    [InlineData(16384 + 512 + 2)]
    public async Task PartimageReader_ShortFiles_TruncationErrorsNotCrashes(int length)
    {
        using var folder = new TempDirectory();
        byte[] image = await File.ReadAllBytesAsync(corpus.FirstVolume("tiny.pimg"));
        await File.WriteAllBytesAsync(folder.File("short.pimg.000"), image.AsMemory(0, length));

        PartimageOutcome outcome = await ReadAsync(folder.File("short.pimg.000"));

        Assert.NotNull(outcome.Error);
        Assert.DoesNotContain("\n", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartimageReader_RandomByteDamage_EndsInAFormatErrorOrRecordedMismatches()
    {
        // Every byte of the logical stream up to the tail is covered by a check (header sums, magic strings,
        // used_blocks against the bitmap, CHK records, the tail sum), and so are the tail's sum and last-volume
        // fields. Not covered, by the format: the volume header after its magic, version and number (identifier
        // of a single volume, version padding, 404 reserved bytes) and the tail's 16372 reserved bytes.
        byte[] original = await File.ReadAllBytesAsync(corpus.FirstVolume("tiny.pimg"));
        var random = new Random(20240611);
        using var folder = new TempDirectory();
        string path = folder.File("fuzz.pimg.000");
        for (int i = 0; i < 150; i++)
        {
            byte[] image = (byte[])original.Clone();
            int at = random.Next(512, image.Length - 16384 + 12);
            image[at] ^= (byte)random.Next(1, 256);
            await File.WriteAllBytesAsync(path, image);

            PartimageOutcome outcome = await ReadAsync(path, bufferSize: 4096);

            Assert.True(outcome.Error is not null || outcome.Log.MismatchCount > 0, $"change at file byte {at} went unnoticed");
        }
    }

    [Fact]
    public async Task PartimageReader_RandomTruncation_AlwaysAFormatError()
    {
        byte[] original = await File.ReadAllBytesAsync(corpus.FirstVolume("ext2gz.pimg"));
        var random = new Random(7);
        using var folder = new TempDirectory();
        string path = folder.File("cut.pimg.000");
        for (int i = 0; i < 12; i++)
        {
            int length = random.Next(original.Length);
            await File.WriteAllBytesAsync(path, original.AsMemory(0, length));

            PartimageOutcome outcome = await ReadAsync(path);

            Assert.True(outcome.Error is not null, $"a gzip volume cut at {length} bytes was accepted");
        }
    }
}
