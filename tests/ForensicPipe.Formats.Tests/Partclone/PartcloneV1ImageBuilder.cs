using System.Buffers.Binary;
using System.Text;
using ForensicPipe.Formats.Checksums;

namespace ForensicPipe.Formats.Tests.Partclone;

internal enum V1CrcKind
{
    /// <summary>What partclone &lt; 0.3 wrote: the block's first byte fed block_size times (docs/formats/partclone.md,
    /// "The 0001 first-byte CRC").</summary>
    FirstByteBug,

    /// <summary>The CRC partclone meant to write: all bytes of every block, chained. partclone rejects it.</summary>
    Correct,
}

/// <summary>
/// Writes partclone 0001 images (docs/formats/partclone.md, "Synthesising a 0001 image"); partclone
/// 0.3.23 accepts the result. Offsets are the literal numbers of the 0001 header table of docs/formats/partclone.md on
/// purpose.
/// </summary>
internal static class PartcloneV1ImageBuilder
{
    /// <summary>From a 0002 image and its raw partition (docs/formats/partclone.md, "Synthesising a 0001 image"; gives
    /// ext4.v1.pc of "Known-answer values").</summary>
    public static void FromV2(string v2Image, string raw, string output, V1CrcKind kind)
    {
        byte[] header2 = new byte[110];
        using FileStream image = File.OpenRead(v2Image);
        image.ReadExactly(header2);
        int blockSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(header2.AsSpan(84));
        ulong deviceSize = BinaryPrimitives.ReadUInt64LittleEndian(header2.AsSpan(52));
        long total = (long)BinaryPrimitives.ReadUInt64LittleEndian(header2.AsSpan(60));
        ulong used = BinaryPrimitives.ReadUInt64LittleEndian(header2.AsSpan(76));
        byte[] bitmap = new byte[(total + 7) / 8];
        image.ReadExactly(bitmap);
        string fs = Encoding.ASCII.GetString(header2, 36, 16).TrimEnd('\0');

        using FileStream source = File.OpenRead(raw);
        using FileStream target = File.Create(output);
        Write(target, fs, blockSize, deviceSize, total, used, b => (bitmap[b >> 3] & (1 << (int)(b & 7))) != 0, block =>
        {
            var bytes = new byte[blockSize];
            source.Position = block * blockSize;
            source.ReadExactly(bytes);
            return bytes;
        }, kind);
    }

    /// <summary>A 0001 image of the given blocks (null = absent).</summary>
    public static byte[] Build(int blockSize, IReadOnlyList<byte[]?> blocks, V1CrcKind kind = V1CrcKind.FirstByteBug)
    {
        using var stream = new MemoryStream();
        ulong used = (ulong)blocks.Count(b => b is not null);
        Write(stream, "EXTFS", blockSize, (ulong)(blocks.Count * blockSize), blocks.Count, used, b => blocks[(int)b] is not null, b => blocks[(int)b]!, kind);
        return stream.ToArray();
    }

    /// <summary>The buggy CRC register after one block: its first byte fed block_size times.</summary>
    public static uint FirstByteCrc(uint register, byte first, int blockSize)
    {
        var repeated = new byte[blockSize];
        repeated.AsSpan().Fill(first);
        return Crc32.Update(register, repeated);
    }

    private static void Write(Stream target, string fs, int blockSize, ulong deviceSize, long total, ulong used,
        Func<long, bool> present, Func<long, byte[]> block, V1CrcKind kind)
    {
        var header = new byte[4160];
        Encoding.ASCII.GetBytes("partclone-image").CopyTo(header, 0);
        byte[] fsName = Encoding.ASCII.GetBytes(fs);
        fsName.AsSpan(0, Math.Min(fsName.Length, 15)).CopyTo(header.AsSpan(15));
        Encoding.ASCII.GetBytes("0001").CopyTo(header, 30);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(36), (uint)blockSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), deviceSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), (ulong)total);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(56), used);
        target.Write(header);

        var byteBitmap = new byte[total];
        for (long b = 0; b < total; b++)
        {
            byteBitmap[b] = present(b) ? (byte)1 : (byte)0;
        }
        target.Write(byteBitmap);
        target.Write("BiTmAgIc"u8);

        uint register = 0xFFFFFFFF;
        var crc = new byte[4];
        for (long b = 0; b < total; b++)
        {
            if (!present(b))
            {
                continue;
            }
            byte[] bytes = block(b);
            target.Write(bytes);
            register = kind == V1CrcKind.FirstByteBug
                ? FirstByteCrc(register, bytes[0], blockSize)
                : Crc32.Update(register, bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(crc, register);
            target.Write(crc);
        }
    }
}
