using System.Buffers.Binary;

namespace ForensicPipe.Cli.Tests.ToyFormat;

/// <summary>Writes toy images (<see cref="ToyFormat"/>).</summary>
internal static class ToyImage
{
    public const int BlockSize = 4096;

    public static ReadOnlySpan<byte> Magic => "FPTOY001"u8;

    public static byte[] Create(ReadOnlySpan<byte> data)
    {
        using var image = new MemoryStream();
        image.Write(Magic);
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(word, (ulong)data.Length);
        image.Write(word);
        for (int start = 0; start < data.Length; start += BlockSize)
        {
            ReadOnlySpan<byte> block = data[start..Math.Min(data.Length, start + BlockSize)];
            image.Write(block);
            BinaryPrimitives.WriteUInt32LittleEndian(word, Sum(block));
            image.Write(word[..4]);
        }
        return image.ToArray();
    }

    public static uint Sum(ReadOnlySpan<byte> block)
    {
        uint sum = 0;
        foreach (byte value in block)
        {
            sum += value;
        }
        return sum;
    }
}
