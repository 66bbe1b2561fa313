using System.Buffers.Binary;
using ForensicPipe.Core.Errors;
using ForensicPipe.Fuzz;

namespace ForensicPipe.Formats.Tests.Fuzz;

/// <summary>
/// The checksum-fixup fuzz targets (docs/fuzzing.md, "Targets"): on a valid seed they change nothing the reader
/// objects to, and a mutated header field gets past the checksum that guards it to the field's own check, which
/// the plain target never reaches.
/// </summary>
[Collection(FuzzCampaignCollection.Name)]
public sealed class ChecksumFixupTargetTests
{
    // docs/formats/partimage.md, "Volume header" and "Main header".
    private const int PartimageMainHeader = 512;
    private const int PartimageEncryption = 9800;

    // docs/formats/e01.md, "Sections": the volume payload follows its 76-byte descriptor; bytes per sector at 12.
    private const int EwfDescriptorSize = 76;
    private const int EwfBytesPerSector = 12;

    private static byte[] Seed(string corpus, string file) =>
        File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "ForensicPipe.Fuzz", "corpus", corpus, file));

    private static ForensicPipeException? Run(string target, byte[] input)
    {
        using var scratch = new FuzzScratch();
        return FuzzRunner.RunOne(FuzzTargets.Find(target)!, input, scratch);
    }

    [Theory]
    [InlineData("partclone-crc", "partclone", "pc023-fat.img")]
    [InlineData("partclone-crc", "partclone", "pc047-ext2-a3.img")]
    [InlineData("partimage-sum", "partimage", "ext2-z0.000")]
    [InlineData("e01-adler", "e01", "fat-none.E01")]
    [InlineData("e01-adler", "e01", "fat-best.E01")]
    public void FixupTarget_ValidSeed_IsReadToTheEnd(string target, string corpus, string file)
    {
        ForensicPipeException? rejection = Run(target, Seed(corpus, file));

        Assert.Null(rejection);
    }

    [Fact]
    public void PartimageSum_EncryptionFieldMutated_ReachesTheEncryptionCheckPastTheHeaderSum()
    {
        byte[] image = Seed("partimage", "ext2-z0.000");
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(PartimageMainHeader + PartimageEncryption), 1);

        ForensicPipeException? plain = Run("partimage", image);
        ForensicPipeException? fixedUp = Run("partimage-sum", image);

        Assert.Contains("main header sum", plain?.Message, StringComparison.Ordinal);
        Assert.Contains("encryption", fixedUp?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void E01Adler_BytesPerSectorMutated_ReachesTheVolumeFieldCheckPastTheChecksum()
    {
        byte[] image = Seed("e01", "fat-none.E01");
        int volume = image.AsSpan().IndexOf("volume\0\0\0\0\0\0\0\0\0\0"u8);
        Assert.True(volume > 0, "no volume section in the seed");
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(volume + EwfDescriptorSize + EwfBytesPerSector), 8192);

        ForensicPipeException? plain = Run("e01", image);
        ForensicPipeException? fixedUp = Run("e01-adler", image);

        Assert.NotNull(plain);
        Assert.NotNull(fixedUp);
        Assert.Contains("checksum", plain.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("checksum", fixedUp.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("8192", fixedUp.Message, StringComparison.Ordinal);
    }
}
