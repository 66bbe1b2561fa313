using System.Text;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Tests.Partclone;

public sealed class PartcloneDetectorTests
{
    private static byte[] Header(string start, string version)
    {
        var bytes = new byte[64];
        Encoding.ASCII.GetBytes(start).CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(version).CopyTo(bytes, 30);
        return bytes;
    }

    [Theory]
    [InlineData("partclone-image\0", "0002", PartcloneImageVersion.V2)]
    [InlineData("partclone-imageEXTFS", "0001", PartcloneImageVersion.V1)]
    [InlineData("partclone-image\0", "0003", PartcloneImageVersion.Unknown)]
    public void PartcloneDetector_Magic_DetectsVersion(string start, string version, PartcloneImageVersion expected)
    {
        Assert.True(PartcloneDetector.TryDetect(Header(start, version), out PartcloneImageVersion detected));
        Assert.Equal(expected, detected);
    }

    [Fact]
    public void PartcloneDetector_OtherFormatsOrTooFewBytes_NotDetected()
    {
        Assert.False(PartcloneDetector.TryDetect(Header("PaRtImAgE-VoLuMe", ""), out _));
        Assert.False(PartcloneDetector.TryDetect(Header("\0ntfsclone-image", ""), out _));
        Assert.False(PartcloneDetector.TryDetect(Header("partclone-image\0", "0002").AsSpan(0, PartcloneDetector.HeaderSize - 1), out _));
        Assert.True(PartcloneDetector.TryDetect(Header("partclone-image\0", "0002").AsSpan(0, PartcloneDetector.HeaderSize), out _));
    }
}
