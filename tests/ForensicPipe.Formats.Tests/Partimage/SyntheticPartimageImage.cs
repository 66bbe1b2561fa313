using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>
/// A partimage 0.6.1 image written by the test from docs/formats/partimage.md alone, independent of the reader: the
/// logical stream (main header, MBR magic without records, ten empty extensions, local header, bitmap, info header,
/// data blocks with a CHK record after every 65536 data bytes, tail with its unsigned byte sum) cut into
/// <see cref="VolumeCount"/> uncompressed volumes at the given logical offsets, each behind its 512-byte volume
/// header. Block <c>i</c> is saved when <paramref name="Saved"/> says so; its bytes come from <paramref name="Seed"/>.
/// The bitmap is <paramref name="ExtraBitmapBytes"/> longer than needed, with random bits set there (partimage ignores
/// bits at or beyond block_count, docs/formats/partimage.md, "Bitmap and info header").
/// </summary>
internal sealed record SyntheticPartimageImage(
    int BlockSize, long BlockCount, long PartitionSize, Func<long, bool> Saved, int Seed,
    int ExtraBitmapBytes = 0, string FileSystem = "ext2fs", long[]? SplitAt = null, ulong Identifier = 0x1234_5678_9abc_def0)
{
    private const int StructureSize = 16384;
    private const int ChkInterval = 65536;
    private const int CopyBufferSize = 262144;

    // docs/formats/partimage.md, "Main header" and "Local header".
    private const int MainCompression = 9540;
    private const int MainPartitionSize = 9592;
    private const int MainImageVersion = 9728;
    private const int MainMbrCount = 9792;
    private const int MainMbrSize = 9796;
    private const int LocalBlockSize = 0;
    private const int LocalUsedBlocks = 8;
    private const int LocalBlockCount = 16;
    private const int LocalBitmapSize = 24;

    /// <summary>Volume files written by <see cref="WriteVolumes"/>.</summary>
    public int VolumeCount => (SplitAt?.Length ?? 0) + 1;

    /// <summary>Blocks saved below block_count.</summary>
    public long UsedBlocks => Enumerable.Range(0, (int)BlockCount).LongCount(b => Saved(b));

    /// <summary>The bytes of saved block <paramref name="block"/>.</summary>
    public byte[] Block(long block)
    {
        var bytes = new byte[BlockSize];
        new Random(HashCode.Combine(Seed, block)).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The partition the image describes: saved blocks in place, zeros elsewhere.</summary>
    public byte[] Reconstruction()
    {
        var partition = new byte[PartitionSize];
        for (long block = 0; block < BlockCount; block++)
        {
            if (Saved(block))
            {
                Block(block).CopyTo(partition, block * BlockSize);
            }
        }
        return partition;
    }

    /// <summary>The logical stream, from the first byte of the main header through the tail.</summary>
    public byte[] LogicalStream()
    {
        using var stream = new MemoryStream();
        var main = new byte[StructureSize];
        Encoding.ASCII.GetBytes(FileSystem).CopyTo(main, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(main.AsSpan(MainCompression), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(main.AsSpan(MainPartitionSize), (ulong)PartitionSize);
        "0.6.1"u8.CopyTo(main.AsSpan(MainImageVersion));
        BinaryPrimitives.WriteUInt32LittleEndian(main.AsSpan(MainMbrCount), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(main.AsSpan(MainMbrSize), 2048);
        WriteWithSum(stream, main);
        stream.Write("MAGIC-BEGIN-MBRBACKUP"u8);
        for (int i = 0; i < 10; i++)
        {
            stream.Write(Encoding.ASCII.GetBytes($"MAGIC-BEGIN-EXT{i:D3}"));
            stream.Write(new byte[4]);
        }

        long bitmapSize = ((BlockCount + 7) / 8) + ExtraBitmapBytes;
        var bitmap = new byte[bitmapSize];
        for (long block = 0; block < BlockCount; block++)
        {
            if (Saved(block))
            {
                bitmap[block >> 3] |= (byte)(1 << (int)(block & 7));
            }
        }
        var random = new Random(Seed);
        for (long bit = BlockCount; bit < bitmapSize * 8; bit++)
        {
            if (random.Next(4) == 0)
            {
                bitmap[bit >> 3] |= (byte)(1 << (int)(bit & 7));
            }
        }
        stream.Write("MAGIC-BEGIN-LOCALHEADER"u8);
        var local = new byte[StructureSize];
        BinaryPrimitives.WriteUInt64LittleEndian(local.AsSpan(LocalBlockSize), (ulong)BlockSize);
        BinaryPrimitives.WriteUInt64LittleEndian(local.AsSpan(LocalUsedBlocks), (ulong)UsedBlocks);
        BinaryPrimitives.WriteUInt64LittleEndian(local.AsSpan(LocalBlockCount), (ulong)BlockCount);
        BinaryPrimitives.WriteUInt64LittleEndian(local.AsSpan(LocalBitmapSize), (ulong)bitmapSize);
        WriteWithSum(stream, local);
        stream.Write("MAGIC-BEGIN-BITMAP"u8);
        stream.Write(bitmap);
        stream.Write("MAGIC-BEGIN-INFO"u8);
        WriteWithSum(stream, new byte[StructureSize]);
        stream.Write("MAGIC-BEGIN-DATABLOCKS"u8);
        WriteData(stream);
        stream.Write("MAGIC-BEGIN-TAIL"u8);

        byte[] before = stream.ToArray();
        ulong tailSum = 0;
        foreach (byte b in before)
        {
            tailSum += b;
        }
        var tail = new byte[StructureSize];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, tailSum);
        BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(8), (uint)(VolumeCount - 1));
        stream.Write(tail);
        return stream.ToArray();
    }

    /// <summary>Writes <c>FOLDER/NAME.000</c>, <c>.001</c>, …; returns the first volume's path.</summary>
    public string WriteVolumes(string folder, string name)
    {
        byte[] logical = LogicalStream();
        long[] cuts = [0, .. (SplitAt ?? []).Order(), logical.LongLength];
        for (int volume = 0; volume < VolumeCount; volume++)
        {
            var header = new byte[512];
            "PaRtImAgE-VoLuMe"u8.CopyTo(header);
            "0.6.1"u8.CopyTo(header.AsSpan(32));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(96), (uint)volume);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(100), Identifier);
            using var file = File.Create(Path.Combine(folder, $"{name}.{volume:D3}"));
            file.Write(header);
            file.Write(logical.AsSpan((int)cuts[volume], (int)(cuts[volume + 1] - cuts[volume])));
        }
        return Path.Combine(folder, $"{name}.000");
    }

    /// <summary>The single volume file, for a pipe (no splits).</summary>
    public byte[] SingleVolume()
    {
        byte[] logical = LogicalStream();
        var file = new byte[512 + logical.Length];
        "PaRtImAgE-VoLuMe"u8.CopyTo(file);
        "0.6.1"u8.CopyTo(file.AsSpan(32));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(100), Identifier);
        logical.CopyTo(file, 512);
        return file;
    }

    private static void WriteWithSum(Stream stream, byte[] structure)
    {
        // docs/formats/partimage.md, "Checksums": the bytes as signed values, summed wrapping in 32 bits.
        uint sum = 0;
        foreach (byte b in structure)
        {
            sum += (uint)(sbyte)b;
        }
        stream.Write(structure);
        var stored = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(stored, sum);
        stream.Write(stored);
    }

    /// <summary>The saved blocks in order, a CHK record (docs/formats/partimage.md, "Data blocks and CHK records")
    /// after every 65536 data bytes: the CRC-32 of those bytes and the first block of the copy run holding the last
    /// of them.</summary>
    private void WriteData(Stream stream)
    {
        long maxRun = Math.Max(1, CopyBufferSize / BlockSize);
        var crc = new Crc32();
        int sinceChk = 0;
        long runStart = 0;
        for (long block = 0; block < BlockCount; block++)
        {
            if (!Saved(block))
            {
                continue;
            }
            // Copy runs start at a saved block after an unsaved one (or block 0) and are cut every maxRun blocks.
            if (block == 0 || !Saved(block - 1) || block - runStart >= maxRun)
            {
                runStart = block;
            }
            byte[] bytes = Block(block);
            int at = 0;
            while (at < bytes.Length)
            {
                int take = Math.Min(bytes.Length - at, ChkInterval - sinceChk);
                stream.Write(bytes, at, take);
                crc.Append(bytes.AsSpan(at, take));
                at += take;
                sinceChk += take;
                if (sinceChk == ChkInterval)
                {
                    var chk = new byte[16];
                    "CHK\0"u8.CopyTo(chk);
                    BinaryPrimitives.WriteUInt32LittleEndian(chk.AsSpan(4), crc.GetCurrentHashAsUInt32());
                    BinaryPrimitives.WriteUInt64LittleEndian(chk.AsSpan(8), (ulong)runStart);
                    stream.Write(chk);
                    crc.Reset();
                    sinceChk = 0;
                }
            }
        }
    }
}
