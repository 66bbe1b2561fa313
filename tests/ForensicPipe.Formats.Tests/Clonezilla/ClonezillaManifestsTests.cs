using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Clonezilla;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Clonezilla;

public sealed class ClonezillaManifestsTests
{
    [Fact]
    public void Digest_B3SumsOfEmptyAndOfTheSpecInput_AreTheBlake3TestVectors()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("empty"), []);
        // BLAKE3 reference test_vectors.json: input of 1 byte (0x00), then bytes i % 251.
        File.WriteAllBytes(folder.File("one"), [0]);

        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", ClonezillaManifests.Digest("B3SUMS", folder.File("empty")));
        Assert.Equal("2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213", ClonezillaManifests.Digest("B3SUMS", folder.File("one")));
    }

    [Theory]
    [InlineData("MD5SUMS", "md5sum")]
    [InlineData("SHA1SUMS", "sha1sum")]
    [InlineData("B2SUMS", "b2sum")]
    public async Task Check_ManifestWrittenByCoreutils_MatchesAndNamesADamagedFile(string manifest, string tool)
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("sda1.ext4-ptcl-img.gz"), [.. Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7))]);
        File.WriteAllText(folder.File("sda-pt.sf"), "label: dos\n");
        ToolResult sums = await ExternalTool.RunAsync("bash", ["-c", $"cd '{folder.Path}' && {tool} * > {manifest}"]);
        Assert.True(sums.ExitCode == 0, sums.ToString());

        Assert.All(ClonezillaManifests.Check(folder.Path), entry => Assert.True(entry.Matches, entry.ToString()));

        byte[] bytes = File.ReadAllBytes(folder.File("sda1.ext4-ptcl-img.gz"));
        bytes[1_234_567] ^= 1;
        File.WriteAllBytes(folder.File("sda1.ext4-ptcl-img.gz"), bytes);
        ManifestEntry damaged = Assert.Single(ClonezillaManifests.Check(folder.Path), entry => !entry.Matches);
        Assert.Contains($"{manifest} line 2: ", damaged.ToString());
        Assert.Contains("sda1.ext4-ptcl-img.gz: MISMATCH", damaged.ToString());
    }

    [Fact]
    public void Check_MalformedLine_ThrowsWithLineAndOffset()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("MD5SUMS"), "d41d8cd98f00b204e9800998ecf8427e  a\nnot a line\n");

        var error = Assert.Throws<ImageFormatException>(() => ClonezillaManifests.Check(folder.Path));

        Assert.Contains("line 2 at byte 36", error.Message);
    }
}
