using System.Buffers.Binary;
using System.Text;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Damaged and hostile sets: each refused with one line naming the segment file and the byte offset,
/// without allocating from the bad field.</summary>
public sealed class EwfHostileInputTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<(string Path, byte[] Bytes)> ValidSetAsync(EwfCompression compression = EwfCompression.Fast)
    {
        string path = _folder.File("victim.E01");
        await EwfTestSupport.WriteAsync(path, EwfTestSupport.Media(1 << 20, seed: 71), new EwfSinkOptions { Compression = compression });
        return (path, await File.ReadAllBytesAsync(path));
    }

    private static int FindSection(byte[] file, string type)
    {
        int offset = 13;
        while (true)
        {
            string name = Encoding.ASCII.GetString(file, offset, 16).TrimEnd('\0');
            if (name == type)
            {
                return offset;
            }
            long next = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(offset + 16));
            Assert.True(next > offset, $"no {type} section");
            offset = (int)next;
        }
    }

    private static void Resum(byte[] file, int start, int length) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(start + length), EwfAdler32.Compute(file.AsSpan(start, length)));

    private static async Task<ImageFormatException> OpenFailsAsync(string path)
    {
        var exception = await Assert.ThrowsAsync<ImageFormatException>(async () => await EwfTestSupport.ReadAsync(path));
        Assert.DoesNotContain('\n', exception.Message);
        Assert.Contains(Path.GetFileName(path), exception.Message);
        return exception;
    }

    [Fact]
    public async Task EwfReader_TruncatedSegment_NamesTheSectionThatRunsPastTheEnd()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int sectors = FindSection(bytes, "sectors");
        await File.WriteAllBytesAsync(path, bytes[..(sectors + 5000)]);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(sectors + 16, error.ByteOffset);
        Assert.Contains("sectors section next offset", error.Message);
    }

    [Fact]
    public async Task EwfReader_TruncatedBeforeDone_SaysTheFileEnds()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int done = FindSection(bytes, "done");
        await File.WriteAllBytesAsync(path, bytes[..(done + 10)]);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(done, error.ByteOffset);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task EwfReader_TableSectionSizeTooLarge_RefusedAtTheSizeField()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int table = FindSection(bytes, "table");
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(table + 24), 1L << 40);
        Resum(bytes, table, 72);
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(table + 24, error.ByteOffset);
        Assert.Contains("table section size", error.Message);
    }

    [Fact]
    public async Task EwfReader_SectionDescriptorChecksumWrong_RefusedAtTheChecksum()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int volume = FindSection(bytes, "volume");
        bytes[volume + 20] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(volume + 72, error.ByteOffset);
    }

    [Fact]
    public async Task EwfReader_TableEntryPastTheSectors_RefusedAtTheEntry()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int table = FindSection(bytes, "table");
        int entries = table + 76 + 24;
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table + 76));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(entries + 8), 0x7FFF_0000);
        Resum(bytes, entries, count * 4);
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        // Entry 2 now points past the sectors: entry 1's stored length runs past them.
        Assert.Equal(entries + 4, error.ByteOffset);
        Assert.Contains("table entry", error.Message);
    }

    [Fact]
    public async Task EwfReader_TableBaseOffsetBeyondTheFile_RefusedAtTheBaseOffset()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int table = FindSection(bytes, "table");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(table + 76 + 8), 1UL << 50);
        Resum(bytes, table + 76, 20);
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(table + 76 + 8, error.ByteOffset);
    }

    [Fact]
    public async Task EwfReader_ChunkCountClaiming2To40_RefusedBeforeAllocating()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int volume = FindSection(bytes, "volume");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(volume + 76 + 16), (1UL << 40) * 64);
        Resum(bytes, volume + 76, 1048);
        await File.WriteAllBytesAsync(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(volume + 76 + 16, error.ByteOffset);
        Assert.Contains("1099511627776 chunks", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20);
    }

    [Fact]
    public async Task EwfReader_TableEntryCountHuge_RefusedAtTheCount()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int table = FindSection(bytes, "table");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(table + 76), uint.MaxValue);
        Resum(bytes, table + 76, 20);
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(table + 76, error.ByteOffset);
        Assert.Contains("4294967295 entries", error.Message);
    }

    [Fact]
    public async Task EwfReader_CorruptZlibChunk_MismatchNamingChunkSegmentAndOffset()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int table = FindSection(bytes, "table");
        long baseOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(table + 76 + 8));
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table + 76));
        int victim = -1;
        uint entry = 0;
        for (int i = 0; i < count && victim < 0; i++)
        {
            entry = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(table + 100 + (4 * i)));
            victim = (entry & 0x8000_0000) != 0 ? i : -1;
        }
        Assert.True(victim >= 0, "no compressed chunk");
        long chunkOffset = baseOffset + (entry & 0x7FFF_FFFF);
        bytes[chunkOffset + 6] ^= 0x55;
        bytes[chunkOffset + 7] ^= 0x55;
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.True(error.IsChecksumMismatch);
        Assert.Equal(chunkOffset, error.ByteOffset);
        Assert.Contains($"chunk {victim}", error.Message);
    }

    [Fact]
    public async Task EwfReader_UncompressedChunkChanged_AdlerMismatchNamingTheChunk()
    {
        (string path, byte[] bytes) = await ValidSetAsync(EwfCompression.None);
        int sectors = FindSection(bytes, "sectors");
        long chunk3 = sectors + 76 + (3 * ((64 * 512) + 4));
        bytes[chunk3 + 100] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.True(error.IsChecksumMismatch);
        Assert.Equal(chunk3, error.ByteOffset);
        Assert.Contains("chunk 3", error.Message);
        Assert.Contains("Adler-32", error.Message);
    }

    [Fact]
    public async Task EwfVerifier_StoredMd5Changed_RecordsAMismatchAtTheDigest()
    {
        (string path, byte[] bytes) = await ValidSetAsync();
        int digest = FindSection(bytes, "digest");
        bytes[digest + 76] ^= 0xFF;
        Resum(bytes, digest + 76, 76);
        await File.WriteAllBytesAsync(path, bytes);

        (byte[] _, VerificationLog log, _) = await EwfTestSupport.ReadAsync(path);
        Assert.Equal(1, log.MismatchCount);
        Assert.Equal(digest + 76, log.Mismatches[0].ImageOffset);
        Assert.Contains("MD5", log.Mismatches[0].Kind);
    }

    [Fact]
    public async Task EwfReader_MissingSecondSegment_NamesTheMissingFile()
    {
        string path = _folder.File("gap.E01");
        await EwfTestSupport.WriteAsync(path, EwfTestSupport.Media(3 << 20, seed: 72), new EwfSinkOptions { Compression = EwfCompression.None, SegmentSize = 1 << 20 });
        File.Delete(_folder.File("gap.E02"));

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Contains("gap.E02 does not exist", error.Message);
    }

    [Fact]
    public async Task EwfReader_NotAnE01_RefusedAtTheSignature()
    {
        string path = _folder.File("plain.E01");
        await File.WriteAllBytesAsync(path, new byte[4096]);

        ImageFormatException error = await OpenFailsAsync(path);
        Assert.Equal(0, error.ByteOffset);
    }
}
