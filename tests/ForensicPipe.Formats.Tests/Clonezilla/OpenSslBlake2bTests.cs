using ForensicPipe.Formats.Clonezilla;
using Konscious.Security.Cryptography;

namespace ForensicPipe.Formats.Tests.Clonezilla;

/// <summary>B2SUMS go through libcrypto's BLAKE2b-512 where it loads, the managed implementation elsewhere: both give
/// the same digest, fed in pieces of any size.</summary>
public sealed class OpenSslBlake2bTests
{
    [Fact]
    public void IsAvailable_OnThisLinuxMachine_True()
    {
        // .NET's own hashes need libcrypto 3 on Linux: without it B2SUMS would be slow, not wrong, so say so loudly here.
        Assert.True(OpenSslBlake2b.IsAvailable);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(127, 5)]
    [InlineData(128, 128)]
    [InlineData(129, 64)]
    [InlineData(1_000_003, 65_537)]
    public void Finish_AnyLengthInAnyPieces_EqualsTheManagedBlake2b512(int length, int piece)
    {
        byte[] data = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7))];
        using var native = new OpenSslBlake2b();
        for (int offset = 0; offset < length; offset += piece)
        {
            native.Update(data.AsSpan(offset, Math.Min(piece, length - offset)));
        }
        using var managed = new HMACBlake2B(512);
        managed.Initialize();

        Assert.Equal(Convert.ToHexStringLower(managed.ComputeHash(data)), Convert.ToHexStringLower(native.Finish()));
    }

    [Fact]
    public void Finish_Empty_IsTheBlake2b512OfNothing()
    {
        using var native = new OpenSslBlake2b();

        // b2sum /dev/null (coreutils 9.1).
        Assert.Equal("786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
            Convert.ToHexStringLower(native.Finish()));
    }
}
