using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>The layout of a 0002 image from its header bytes, by the formulas of docs/formats/partclone.md,
/// "Format 0002: data and checksum interleave" and "Random access", written out here independently of the
/// reader.</summary>
internal sealed record V2Layout(int BlockSize, long Total, long Used, int ChecksumSize, long BlocksPerChecksum, bool Reseed, byte[] Bitmap)
{
    public static V2Layout Read(string image)
    {
        using FileStream file = File.OpenRead(image);
        var header = new byte[110];
        file.ReadExactly(header);
        long total = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(60));
        var bitmap = new byte[(total + 7) / 8];
        file.ReadExactly(bitmap);
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(96));
        uint bpc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(100));
        return new V2Layout(
            (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(84)),
            total,
            (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(76)),
            mode != 0 && bpc != 0 ? BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(98)) : 0,
            bpc,
            header[104] != 0,
            bitmap);
    }

    public long DataStart => 110 + Bitmap.Length + 4;

    public bool ChecksumsOn => ChecksumSize != 0;

    public long ChecksumCount => ChecksumsOn ? (Used + BlocksPerChecksum - 1) / BlocksPerChecksum : 0;

    public long ImageSize => DataStart + (Used * BlockSize) + (ChecksumCount * ChecksumSize);

    public bool IsPresent(long block) => (Bitmap[block >> 3] & (1 << (int)(block & 7))) != 0;

    public long BlockOffset(long rank) => DataStart + (rank * BlockSize) + (ChecksumsOn ? rank / BlocksPerChecksum * ChecksumSize : 0);

    public long ChecksumOffset(long group) => DataStart + (Math.Min((group + 1) * BlocksPerChecksum, Used) * BlockSize) + (group * ChecksumSize);

    /// <summary>Block number of the block with rank <paramref name="rank"/>.</summary>
    public long BlockOfRank(long rank)
    {
        long seen = 0;
        for (long block = 0; block < Total; block++)
        {
            if (IsPresent(block) && seen++ == rank)
            {
                return block;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(rank));
    }
}

/// <summary>Helpers to read, damage and judge partclone images in tests.</summary>
internal static class PartcloneTestImages
{
    /// <summary>Copies <paramref name="source"/> with the byte at <paramref name="offset"/> inverted (or set to
    /// <paramref name="value"/>).</summary>
    public static void CorruptCopy(string source, string target, long offset, byte? value = null)
    {
        File.Copy(source, target, overwrite: true);
        using FileStream file = File.Open(target, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int old = file.ReadByte();
        file.Position = offset;
        file.WriteByte(value ?? (byte)~old);
    }

    /// <summary>Changes header fields of a 0002 image held in memory and recomputes the header CRC, so that
    /// only the changed field can be the reason for a refusal.</summary>
    public static byte[] PatchHeader(byte[] image, Action<Span<byte>> patch)
    {
        byte[] copy = (byte[])image.Clone();
        patch(copy.AsSpan(0, 110));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(106), Crc32.Update(0xFFFFFFFF, copy.AsSpan(0, 106)));
        return copy;
    }

    /// <summary>Reads the whole image with our reader and verifier: accepted, or why not.</summary>
    public static async Task<(bool Accepted, string Detail)> OurVerdictAsync(string image)
    {
        using var pool = new BufferPool();
        try
        {
            await using PartcloneReader reader = PartcloneReader.Open(image);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            var log = new VerificationLog();
            await ExtentDrain.DrainAsync(reader, info, pool, log: log);
            return log.MismatchCount == 0
                ? (true, $"{log.Checked} checksums match")
                : (false, log.Mismatches[0].ToString());
        }
        catch (ImageFormatException ex)
        {
            return (false, ex.Message);
        }
        finally
        {
            Assert.Equal(0, pool.Outstanding);
        }
    }

    /// <summary>Opens and drains an image held in memory through a non-seekable stream.</summary>
    public static async Task<(SourceInfo Info, DrainResult Result, VerificationLog Log)> ReadAllAsync(
        byte[] image, BufferPool pool, int maxChunk = int.MaxValue)
    {
        await using var reader = new PartcloneReader(new NonSeekableStream(new MemoryStream(image), maxChunk), "memory");
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        var log = new VerificationLog();
        DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);
        return (info, result, log);
    }
}
