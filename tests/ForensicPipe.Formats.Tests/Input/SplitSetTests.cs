using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Input;

/// <summary>Sets cut by coreutils <c>split</c> itself: found from any piece, read as one stream and at random offsets;
/// a missing or short piece is named.</summary>
public sealed class SplitSetTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly byte[] _data = CompressedInputTests.Sample(11, 1_000_000);

    public SplitSetTests()
    {
        File.WriteAllBytes(_folder.File("image"), _data);
    }

    private async Task SplitAsync(string options, string input = "image", string prefix = "set.")
    {
        await ExternalTool.RunCheckedAsync("bash", ["-c", $"split {options} {input} {prefix}"], _folder.Path);
    }

    [Theory]
    [InlineData("-a 2 -b 300000", "set.aa")]
    [InlineData("-a 2 -b 300000", "set.ac")]
    [InlineData("-a 3 -b 300000", "set.aab")]
    [InlineData("-a 2 -b 1000000", "set.aa")]
    public async Task SplitSet_AnyPiece_ReadsEveryPieceInOrder(string options, string given)
    {
        await SplitAsync(options);

        SplitSet set = SplitSet.Find(_folder.File(given))!;
        using SequentialImage image = SequentialImage.Open(_folder.File(given));
        byte[] read = await CompressedInputTests.ReadAllAsync(image.Stream);

        Assert.Equal(_folder.File("set.a" + new string('a', given.Length - 5)), set.Pieces[0].Path);
        Assert.Equal(_data.Length, set.Length);
        Assert.True(_data.AsSpan().SequenceEqual(read));
    }

    [Fact]
    public async Task SplitSet_PastYz_FollowsSplitsWideningSuffixes()
    {
        // 1000 pieces of 1000 bytes: aa … yz (650), then zaaa … (split's default suffix length widens).
        await SplitAsync("-b 1000");
        Assert.True(File.Exists(_folder.File("set.zaaa")), "split did not widen the suffixes");

        SplitSet set = SplitSet.Find(_folder.File("set.zabc"))!;
        using SequentialImage image = SequentialImage.Open(_folder.File("set.yz"));
        byte[] read = await CompressedInputTests.ReadAllAsync(image.Stream);

        Assert.Equal(1000, set.Pieces.Count);
        Assert.Equal(_folder.File("set.zaaa"), set.Pieces[650].Path);
        Assert.True(set.IsWidening);
        Assert.True(_data.AsSpan().SequenceEqual(read));
        Assert.Equal($"'{_folder.File("set")}'.?? '{_folder.File("set")}'.z???", set.ShellPattern(text => $"'{text}'"));
    }

    [Fact]
    public async Task SplitSet_CompressedThenSplitIntoTinyPieces_DecodesAcrossAllOfThem()
    {
        await ExternalTool.RunCheckedAsync("bash", ["-c", "zstd -q -c image > image.zst && split -b 500 image.zst image.zst."], _folder.Path);
        int pieces = Directory.GetFiles(_folder.Path, "image.zst.*").Length;

        using SequentialImage image = SequentialImage.Open(_folder.File("image.zst.aa"));
        byte[] read = await CompressedInputTests.ReadAllAsync(image.Stream);

        Assert.True(pieces > 650, $"{pieces} pieces do not widen");
        Assert.Equal(ImageCompression.Zstd, image.Compression);
        Assert.True(_data.AsSpan().SequenceEqual(read));
    }

    [Fact]
    public async Task SplitSet_MissingPiece_ThrowsNamingIt()
    {
        await SplitAsync("-a 2 -b 200000");
        File.Delete(_folder.File("set.ac"));

        var error = Assert.Throws<ImageFormatException>(() => SequentialImage.Open(_folder.File("set.aa")));

        Assert.StartsWith($"{_folder.File("set.ac")}: split piece at byte 0: missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("set.ab is followed by set.ad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitSet_ShortPieceBeforeTheLast_ThrowsNamingItAndItsEnd()
    {
        await SplitAsync("-a 2 -b 200000");
        File.WriteAllBytes(_folder.File("set.ab"), _data.AsSpan(200000, 150000).ToArray());

        var error = Assert.Throws<ImageFormatException>(() => SequentialImage.Open(_folder.File("set.ad")));

        Assert.StartsWith($"{_folder.File("set.ab")}: split piece at byte 150000: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitSet_CompressedSetWithTruncatedLastPiece_ThrowsNamingTheLastPieceAndItsEnd()
    {
        await ExternalTool.RunCheckedAsync("bash", ["-c", "pigz -c image > image.gz && split -a 3 -b 100000 image.gz image.gz."], _folder.Path);
        string last = Directory.GetFiles(_folder.Path, "image.gz.*").Order(StringComparer.Ordinal).Last();
        long length = new FileInfo(last).Length - 5;
        using (FileStream file = File.OpenWrite(last))
        {
            file.SetLength(length);
        }

        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            using SequentialImage image = SequentialImage.Open(_folder.File("image.gz.aaa"));
            await CompressedInputTests.ReadAllAsync(image.Stream);
        });

        Assert.StartsWith($"{last}: gzip data at byte {length}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitSet_FlippedByteInAMiddlePiece_NamesThatPieceAndAnOffsetInIt()
    {
        // Text compresses into Huffman-coded blocks (random bytes would be stored blocks, which only the CRC at the end
        // can find damaged); a run of 0xFF bytes in them stops the decoder at once.
        await ExternalTool.RunCheckedAsync("bash", ["-c", "seq 1 400000 | gzip -c > image.gz && split -a 2 -b 100000 image.gz image.gz."], _folder.Path);
        string piece = _folder.File("image.gz.ac");
        byte[] bytes = await File.ReadAllBytesAsync(piece);
        bytes.AsSpan(5000, 64).Fill(0xFF);
        await File.WriteAllBytesAsync(piece, bytes);

        var error = await Assert.ThrowsAsync<ImageFormatException>(async () =>
        {
            using SequentialImage image = SequentialImage.Open(_folder.File("image.gz.aa"));
            await CompressedInputTests.ReadAllAsync(image.Stream);
        });

        Assert.StartsWith($"{piece}: gzip data at byte ", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.ByteOffset, 5000, 100000);
    }

    [Fact]
    public void SplitSet_NameWithLettersButNoFirstPiece_IsNotASet()
    {
        File.WriteAllBytes(_folder.File("image.gz"), [1, 2, 3]);

        Assert.Null(SplitSet.Find(_folder.File("image.gz")));
        Assert.Null(SplitSet.Find("-"));
    }

    [Fact]
    public async Task ImageFile_UncompressedSet_ReadsAcrossPiecesAtAnyOffset()
    {
        await SplitAsync("-a 2 -b 65536");

        using ImageFile file = ImageFile.Open(_folder.File("set.ad"));
        var random = new Random(3);
        byte[] buffer = new byte[200_000];
        for (int i = 0; i < 200; i++)
        {
            long offset = random.NextInt64(0, _data.Length);
            int length = random.Next(1, buffer.Length);
            int got = file.ReadAt(offset, buffer.AsSpan(0, length));
            Assert.Equal((int)Math.Min(length, _data.Length - offset), got);
            Assert.True(_data.AsSpan((int)offset, got).SequenceEqual(buffer.AsSpan(0, got)));
        }

        Assert.Equal(_data.Length, file.Length);
        Assert.Equal(16, file.PieceCount);
        Assert.Equal(0, file.ReadAt(_data.Length, buffer));
    }

    [Theory]
    [InlineData("aa", "ab")]
    [InlineData("az", "ba")]
    [InlineData("yz", "zaaa")]
    [InlineData("zaaz", "zaba")]
    [InlineData("zyzz", "zzaaaa")]
    public void SplitNaming_Widening_FollowsCoreutils(string suffix, string next)
    {
        Assert.Equal(next, SplitNaming.NextWidening(suffix));
        Assert.True(SplitNaming.IsWidening(next));
    }

    [Theory]
    [InlineData("yz", "za")]
    [InlineData("aaz", "aba")]
    [InlineData("zz", null)]
    public void SplitNaming_Fixed_CountsUpToTheLastWord(string suffix, string? next) => Assert.Equal(next, SplitNaming.NextFixed(suffix));

    public void Dispose() => _folder.Dispose();
}
