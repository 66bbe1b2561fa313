using ForensicPipe.Formats.Registry;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Formats.Tests.Partimage;

public sealed class PartimageSumsTests
{
    [Fact]
    public void SignedByteSum_FormatsVector_IsAllOnes()
    {
        // docs/formats/partimage.md, "Checksums": 01 FF 80 7F → 1 − 1 − 128 + 127 = −1 = 0xFFFFFFFF.
        Assert.Equal(0xFFFFFFFFu, PartimageSums.SignedByteSum([0x01, 0xFF, 0x80, 0x7F]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(16384)]
    [InlineData(65536 + 77)]
    [InlineData(1 << 20)]
    public void Sums_RandomBytes_EqualTheByteByByteDefinition(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        ulong unsigned = 0;
        uint signed = 0;
        foreach (byte b in data)
        {
            unsigned += b;
            signed += (uint)(sbyte)b;
        }

        Assert.Equal(unsigned, PartimageSums.ByteSum(data));
        Assert.Equal(signed, PartimageSums.SignedByteSum(data));
    }

    [Fact]
    public void ByteSum_AllFf_DoesNotOverflowTheLanes()
    {
        byte[] data = new byte[(4 << 20) + 3];
        Array.Fill(data, (byte)0xFF);

        Assert.Equal((ulong)data.Length * 255, PartimageSums.ByteSum(data));
    }

    [Fact]
    public void PartimageDetector_VolumeMagicWithNulPadding_IsPartimage()
    {
        byte[] header = new byte[512];
        "PaRtImAgE-VoLuMe"u8.CopyTo(header);

        Assert.True(PartimageDetector.TryDetect(header));
        Assert.Same(PartimageFormat.Instance, ImageFormatRegistry.Default.Identify(header));
        header[20] = (byte)'x';
        Assert.False(PartimageDetector.TryDetect(header));
        Assert.False(PartimageDetector.TryDetect(header.AsSpan(0, 20)));
    }
}
