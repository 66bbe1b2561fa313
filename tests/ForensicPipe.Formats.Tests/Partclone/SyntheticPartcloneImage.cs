using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Crc32 = ForensicPipe.Formats.Checksums.Crc32;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// An independent writer of partclone 0002 images (docs/formats/partclone.md, "Format 0002: header"), for the edge
/// cases partclone's clone tools do not produce on demand (empty data section, huge or odd block sizes, groups that end
/// exactly at the last block, the pc-crc check value of docs/formats/partclone.md, "Checksums"). The fixture checks
/// that partclone.chkimg and partclone.restore accept what it writes, so it is a real partclone image, not only our
/// reading of one. Offsets are written as the numbers of the header table of docs/formats/partclone.md on purpose,
/// independent of the reader.
/// </summary>
internal sealed record SyntheticPartcloneImage(
    int BlockSize,
    long TotalBlocks,
    long DeviceSize,
    Func<long, bool> Present,
    ushort ChecksumMode = 0x20,
    uint BlocksPerChecksum = 1,
    bool Reseed = true,
    Func<long, byte[]>? Content = null,
    bool SetBitsBeyondTotal = false)
{
    public static IReadOnlyDictionary<string, SyntheticPartcloneImage> EdgeCases { get; } = new Dictionary<string, SyntheticPartcloneImage>
    {
        // No block present: no data, no checksum; the device is longer than total × block size.
        ["synthetic-empty.pc"] = new(4096, 100, (100 * 4096) + 5000, _ => false, BlocksPerChecksum: 256),
        // Blocks of 4 MiB, larger than a pool buffer: each is split across extents.
        ["synthetic-4mib.pc"] = new(4 << 20, 4, 16L << 20, b => b != 2, BlocksPerChecksum: 1),
        // 40 used blocks, 8 per group, reseed off: the last group ends exactly at the last block.
        ["synthetic-exact-groups.pc"] = new(2048, 50, 50 * 2048, b => b % 5 != 0, BlocksPerChecksum: 8, Reseed: false),
        // A block size that is not a power of two, and a final short group.
        ["synthetic-odd-bs.pc"] = new(1536, 1400, (1400 * 1536) + 512, b => (b * 7919 % 13) < 9, BlocksPerChecksum: 5),
        // docs/formats/partclone.md, "Checksums": pc-crc("123456789") = 0x340BC6D9, stored as D9 C6 0B 34.
        ["synthetic-check-vector.pc"] = new(9, 3, 27, b => b == 1, BlocksPerChecksum: 1, Content: _ => "123456789"u8.ToArray()),
    };

    public long UsedBlocks => Enumerable.Range(0, checked((int)TotalBlocks)).LongCount(b => Present(b));

    public int ChecksumSize => ChecksumMode switch { 0x00 => 0, 0x20 => 4, 0x30 => 8, 0x31 => 16, _ => 0 };

    public byte[] BlockContent(long block)
    {
        if (Content is not null)
        {
            return Content(block);
        }
        var bytes = new byte[BlockSize];
        ulong state = (ulong)(block + 1) * 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < bytes.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes[i] = (byte)state;
        }
        return bytes;
    }

    /// <summary>The partition this image reconstructs to: present blocks, zeros elsewhere.</summary>
    public byte[] Reconstruction()
    {
        var partition = new byte[DeviceSize];
        for (long block = 0; block < TotalBlocks; block++)
        {
            if (Present(block))
            {
                BlockContent(block).CopyTo(partition, block * BlockSize);
            }
        }
        return partition;
    }

    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    public void WriteTo(Stream output)
    {
        long used = UsedBlocks;
        var header = new byte[110];
        Encoding.ASCII.GetBytes("partclone-image").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0.3.23").CopyTo(header, 16);
        Encoding.ASCII.GetBytes("0002").CopyTo(header, 30);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 0xC0DE);
        Encoding.ASCII.GetBytes("raw").CopyTo(header, 36);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(52), (ulong)DeviceSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(60), (ulong)TotalBlocks);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(68), (ulong)used);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(76), (ulong)used);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(84), (uint)BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(88), 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(92), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(94), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(96), ChecksumMode);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(98), (ushort)ChecksumSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(100), ChecksumMode == 0 ? 0 : BlocksPerChecksum);
        header[104] = Reseed ? (byte)1 : (byte)0;
        header[105] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(106), Crc32.Update(0xFFFFFFFF, header.AsSpan(0, 106)));
        output.Write(header);

        var bitmap = new byte[(TotalBlocks + 7) / 8];
        for (long block = 0; block < TotalBlocks; block++)
        {
            if (Present(block))
            {
                bitmap[block >> 3] |= (byte)(1 << (int)(block & 7));
            }
        }
        if (SetBitsBeyondTotal && TotalBlocks % 8 != 0)
        {
            bitmap[^1] |= (byte)(0xFF << (int)(TotalBlocks % 8));
        }
        output.Write(bitmap);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Update(0xFFFFFFFF, bitmap));
        output.Write(crc);

        bool checksums = ChecksumMode != 0 && BlocksPerChecksum != 0;
        uint register = 0xFFFFFFFF;
        var xxh64 = new XxHash64();
        var xxh128 = new XxHash128();
        var value = new byte[16];
        long rank = 0;
        for (long block = 0; block < TotalBlocks; block++)
        {
            if (!Present(block))
            {
                continue;
            }
            byte[] content = BlockContent(block);
            output.Write(content);
            rank++;
            if (!checksums)
            {
                continue;
            }
            register = Crc32.Update(register, content);
            xxh64.Append(content);
            xxh128.Append(content);
            if (rank % BlocksPerChecksum == 0 || rank == used)
            {
                switch (ChecksumMode)
                {
                    case 0x30:
                        // XXH64_hash_t written as the machine's uint64_t: little-endian.
                        BinaryPrimitives.WriteUInt64LittleEndian(value, xxh64.GetCurrentHashAsUInt64());
                        break;
                    case 0x31:
                        // XXH128_hash_t {low64, high64} copied from memory: each half little-endian, low first.
                        UInt128 hash = xxh128.GetCurrentHashAsUInt128();
                        BinaryPrimitives.WriteUInt64LittleEndian(value, (ulong)hash);
                        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), (ulong)(hash >> 64));
                        break;
                    default:
                        BinaryPrimitives.WriteUInt32LittleEndian(value, register);
                        break;
                }
                output.Write(value, 0, ChecksumSize);
                if (Reseed)
                {
                    register = 0xFFFFFFFF;
                    xxh64.Reset();
                    xxh128.Reset();
                }
            }
        }
    }
}
