using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Ewf;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Defects the fuzz campaign found in the E01 reader (docs/fuzzing.md, "Defects found").</summary>
public sealed class EwfFuzzRegressionTests
{
    /// <summary>A zlib header (RFC 1950) asking for a preset dictionary: CMF 0x78, FLG 0x20 (FDICT set, FCHECK
    /// valid), then a DICTID. zlib's inflate answers Z_NEED_DICT, which .NET raises as ZLibException, an IOException
    /// and not an InvalidDataException.</summary>
    private static readonly byte[] s_presetDictionaryHeader = [0x78, 0x20, 0x01, 0x02, 0x03, 0x04];

    [Fact]
    public void Open_HeaderSectionZlibAsksForPresetDictionary_ThrowsImageFormatExceptionWithOffset()
    {
        using var folder = new TempDirectory();
        byte[] image = File.ReadAllBytes(Path.Combine(RepositoryRoot.Fixtures, "ewf", "fast.E01"));
        int zlib = FirstZlibHeader(image);
        s_presetDictionaryHeader.CopyTo(image, zlib);
        string path = folder.File("dictionary.E01");
        File.WriteAllBytes(path, image);

        var error = Assert.Throws<ImageFormatException>(() => EwfRandomAccess.Open(path).Dispose());

        Assert.Contains("zlib stream corrupt", error.Message, StringComparison.Ordinal);
        Assert.Equal(zlib, error.ByteOffset);
    }

    [Fact]
    public void Inflate_ChunkZlibAsksForPresetDictionary_ReportsCorruptChunkInsteadOfThrowing()
    {
        using var codec = new EwfChunkCodec(EwfCompression.Fast);
        byte[] stored = [.. s_presetDictionaryHeader, 0x4B, 0x04, 0x00];

        string? problem = codec.Inflate(stored, 0, stored.Length, new byte[512]);

        Assert.NotNull(problem);
        Assert.Contains("zlib stream corrupt", problem, StringComparison.Ordinal);
    }

    /// <summary>The first zlib stream of the file: the header section's (ewfacquire compresses it).</summary>
    private static int FirstZlibHeader(byte[] image)
    {
        for (int i = 0; i < image.Length - 1; i++)
        {
            if (image[i] == 0x78 && ((image[i] << 8) | image[i + 1]) % 31 == 0)
            {
                return i;
            }
        }
        throw new InvalidOperationException("no zlib stream in the fixture");
    }
}
