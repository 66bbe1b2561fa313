using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Damaged, truncated and absurd images: every one is refused with an <see cref="ImageFormatException"/> that
/// names the field and its byte offset; no buffer leaks, no unbounded allocation.
/// ext4.pc of corpus B: data_start 8306, 1 KiB blocks, 1024 blocks per checksum, 16 checksums, 16552114 bytes.
/// </summary>
[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneBadInputTests(PartcloneCorpusFixture corpus)
{
    private const long Ext4Size = 16552114;
    private const long Ext4DataStart = 8306;

    private byte[] Ext4() => File.ReadAllBytes(corpus.PathOf("ext4.pc"));

    private static async Task<ImageFormatException> RefusedAsync(byte[] image)
    {
        using var pool = new BufferPool();
        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => PartcloneTestImages.ReadAllAsync(image, pool));
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal("partclone", error.Format);
        Assert.Contains($"{error.Field} at byte {error.ByteOffset}", error.Message);
        return error;
    }

    public static TheoryData<long, string, long> TruncationPoints()
    {
        var data = new TheoryData<long, string, long>
        {
            { 0, "header", 0 },
            { 10, "header", 0 },
            { 33, "header", 0 },
            { 34, "header", 0 },
            { 109, "header", 0 },
            { 110, "bitmap", 110 },
            { 4000, "bitmap", 110 },
            { Ext4DataStart - 4, "bitmap CRC", Ext4DataStart - 4 },
            { Ext4DataStart - 1, "bitmap CRC", Ext4DataStart - 4 },
            { Ext4Size - 4, "checksum of group 15", Ext4Size - 4 },
            { Ext4Size - 1, "checksum of group 15", Ext4Size - 4 },
            { Ext4DataStart + (1024 * 1024) + 2, "checksum of group 0", Ext4DataStart + (1024 * 1024) },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(TruncationPoints))]
    public async Task PartcloneReader_TruncatedHeaderBitmapOrChecksum_ThrowsWithOffset(long cut, string field, long offset)
    {
        ImageFormatException error = await RefusedAsync(Ext4()[..(int)cut]);

        Assert.Equal(field, error.Field);
        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains($"ends at byte {cut}", error.Message);
        if (offset > 0)
        {
            Assert.Contains($"expected image size {Ext4Size} bytes", error.Message);
        }
    }

    [Theory]
    [InlineData(0, 0)]        // no data at all
    [InlineData(0, 500)]      // inside the first block
    [InlineData(5000, 100)]   // mid data
    [InlineData(16155, 1023)] // one byte short of the last block
    public async Task PartcloneReader_TruncatedDataBlock_NamesBlockRankAndOffset(long rank, int into)
    {
        V2Layout layout = V2Layout.Read(corpus.PathOf("ext4.pc"));
        long blockOffset = layout.BlockOffset(rank);
        long cut = blockOffset + into;

        ImageFormatException error = await RefusedAsync(Ext4()[..(int)cut]);

        Assert.Equal($"data block {layout.BlockOfRank(rank)} (rank {rank})", error.Field);
        Assert.Equal(blockOffset, error.ByteOffset);
        Assert.Contains($"ends at byte {cut}, {into} of the 1024 bytes", error.Message);
    }

    public static TheoryData<string, string, long, string> PatchedHeaders() => new()
    {
        { "block_size=0", "block_size", 84, "value 0 is outside 1..67108864" },
        { "block_size=2^31", "block_size", 84, "value 2147483648 is outside" },
        { "total_blocks=2^60", "total_blocks", 60, "value 1152921504606846976 exceeds 2^43" },
        { "used_blocks=16155", "used_blocks", 76, "the header says 16155 used blocks, the bitmap at byte 110 has 16156 set bits" },
        { "used_blocks=total+1", "used_blocks", 76, "value 65537 exceeds total_blocks 65536" },
        { "checksum_mode=0x21", "checksum_mode", 96, "unknown checksum mode 0x21" },
        { "checksum_size=8", "checksum_size", 98, "value 8 does not match checksum mode 0x20 (CRC32), which stores 4" },
        { "blocks_per_checksum=0", "blocks_per_checksum", 100, "value 0 with checksum mode 0x20" },
        { "marker=0xDEC0", "endianness", 34, "big-endian" },
        { "marker=0x1234", "endianness", 34, "marker 0x1234, expected 0xc0de" },
        { "bitmap_mode=8", "bitmap_mode", 105, "value 8 (BYTE) is not supported in format 0002" },
        { "bitmap_mode=0", "bitmap_mode", 105, "value 0 (NONE) is not supported" },
        { "feature_size=20", "feature_size", 88, "value 20 is not supported" },
        { "device_size=1M", "total_blocks", 60, "exceeds device_size 1048576" },
        { "device_size=2^63+1", "device_size", 52, "value 9223372036854775809 exceeds" },
        { "total=2^43,bs=64MiB", "total_blocks", 60, "= 590295810358705651712 exceeds device_size" },
        { "version=0003", "version", 30, "format version \"0003\" is not supported" },
    };

    [Theory]
    [MemberData(nameof(PatchedHeaders))]
    public async Task PartcloneReader_AbsurdOrUnsupportedHeaderField_ThrowsNamingFieldValueOffset(string patch, string field, long offset, string message)
    {
        byte[] image = PartcloneTestImages.PatchHeader(Ext4(), h =>
        {
            switch (patch)
            {
                case "block_size=0": BinaryPrimitives.WriteUInt32LittleEndian(h[84..], 0); break;
                case "block_size=2^31": BinaryPrimitives.WriteUInt32LittleEndian(h[84..], 1u << 31); break;
                case "total_blocks=2^60": BinaryPrimitives.WriteUInt64LittleEndian(h[60..], 1UL << 60); break;
                case "used_blocks=16155": BinaryPrimitives.WriteUInt64LittleEndian(h[76..], 16155); break;
                case "used_blocks=total+1": BinaryPrimitives.WriteUInt64LittleEndian(h[76..], 65537); break;
                case "checksum_mode=0x21": BinaryPrimitives.WriteUInt16LittleEndian(h[96..], 0x21); break;
                case "checksum_size=8": BinaryPrimitives.WriteUInt16LittleEndian(h[98..], 8); break;
                case "blocks_per_checksum=0": BinaryPrimitives.WriteUInt32LittleEndian(h[100..], 0); break;
                case "marker=0xDEC0": BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 0xDEC0); break;
                case "marker=0x1234": BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 0x1234); break;
                case "bitmap_mode=8": h[105] = 8; break;
                case "bitmap_mode=0": h[105] = 0; break;
                case "feature_size=20": BinaryPrimitives.WriteUInt32LittleEndian(h[88..], 20); break;
                case "device_size=1M": BinaryPrimitives.WriteUInt64LittleEndian(h[52..], 1 << 20); break;
                case "device_size=2^63+1": BinaryPrimitives.WriteUInt64LittleEndian(h[52..], (1UL << 63) + 1); break;
                case "total=2^43,bs=64MiB":
                    BinaryPrimitives.WriteUInt64LittleEndian(h[60..], 1UL << 43);
                    BinaryPrimitives.WriteUInt32LittleEndian(h[84..], 64u << 20);
                    BinaryPrimitives.WriteUInt64LittleEndian(h[52..], long.MaxValue);
                    break;
                case "version=0003": "0003"u8.CopyTo(h[30..]); break;
                default: throw new ArgumentException(patch);
            }
        });

        ImageFormatException error = await RefusedAsync(image);

        Assert.Equal(field, error.Field);
        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task PartcloneReader_WrongMagic_Throws()
    {
        byte[] image = Ext4();
        image[0] = (byte)'P';

        ImageFormatException error = await RefusedAsync(image);

        Assert.Equal("magic", error.Field);
        Assert.Equal(0, error.ByteOffset);
        Assert.Contains("expected \"partclone-image\", found \"Partclone-image\"", error.Message);
    }

    [Fact]
    public async Task PartcloneReader_HeaderCrcMismatch_CheckedBeforeAnyField()
    {
        // block_size 0 without fixing the CRC: the CRC is what is reported, the field is not trusted.
        byte[] image = Ext4();
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(84), 0);

        ImageFormatException error = await RefusedAsync(image);

        Assert.Equal("header CRC", error.Field);
        Assert.Equal(106, error.ByteOffset);
        Assert.Contains("stored 0x00c8b5ac, computed 0x", error.Message);
    }

    [Fact]
    public async Task PartcloneReader_BitmapCrcMismatch_Throws()
    {
        byte[] image = Ext4();
        image[2000] ^= 0x10;

        ImageFormatException error = await RefusedAsync(image);

        Assert.Equal("bitmap CRC", error.Field);
        Assert.Equal(Ext4DataStart - 4, error.ByteOffset);
        Assert.Contains("stored 0xbd7f5d0a", error.Message);
    }

    [Fact]
    public async Task PartcloneReader_BytesAfterTheImage_Throws()
    {
        byte[] image = [.. Ext4(), 0x00, 0x01];

        ImageFormatException error = await RefusedAsync(image);

        Assert.Equal("end of image", error.Field);
        Assert.Equal(Ext4Size, error.ByteOffset);
    }

    [Fact]
    public async Task PartcloneReader_EmptyOrForeignInput_Throws()
    {
        ImageFormatException empty = await RefusedAsync([]);
        Assert.Equal("header", empty.Field);

        byte[] foreign = new byte[4096];
        "PaRtImAgE-VoLuMe"u8.CopyTo(foreign);
        ImageFormatException other = await RefusedAsync(foreign);
        Assert.Equal("magic", other.Field);
    }

    [Fact]
    public async Task PartcloneReader_HugeBitmapTruncated_AllocatesOnlyWhatArrives()
    {
        // total_blocks 2^43 would be a 1 TiB bitmap; the file holds 1000 bytes of it.
        var image = new SyntheticPartcloneImage(512, 8, 8 * 512, _ => false, ChecksumMode: 0).ToArray();
        byte[] huge = PartcloneTestImages.PatchHeader(image, h =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(h[60..], 1UL << 43);
            BinaryPrimitives.WriteUInt64LittleEndian(h[52..], (1UL << 43) * 512);
        })[..110];
        byte[] truncated = [.. huge, .. new byte[1000]];
        using var pool = new BufferPool();

        long before = GC.GetAllocatedBytesForCurrentThread();
        // A MemoryStream completes every read synchronously, so all the work stays on this thread.
        await using var reader = new PartcloneReader(new MemoryStream(truncated), "huge");
        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => reader.OpenAsync(CancellationToken.None).AsTask());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("bitmap", error.Field);
        Assert.Contains("ends at byte 1110, 1000 of the 1099511627776 bytes", error.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task PartcloneReader_HugeV1BitmapTruncated_AllocatesOnlyWhatArrives()
    {
        byte[] image = PartcloneV1ImageBuilder.Build(512, [new byte[512]]);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(48), 1UL << 43);
        byte[] truncated = [.. image[..4160], .. Enumerable.Repeat((byte)1, 100_000)];

        long before = GC.GetAllocatedBytesForCurrentThread();
        await using var reader = new PartcloneReader(new MemoryStream(truncated), "huge");
        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => reader.OpenAsync(CancellationToken.None).AsTask());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("bitmap", error.Field);
        Assert.Equal(4160, error.ByteOffset);
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task PartcloneReader_TruncatedOnAPipe_ReleasesBuffersAndNamesOffset()
    {
        // Short reads of a pipe, a small pool and a cut inside a split block of a 4 MiB-block image.
        byte[] image = await File.ReadAllBytesAsync(corpus.PathOf("synthetic-4mib.pc"));
        long cut = 110 + 1 + 4 + (4 << 20) + 4 + (3 << 20);
        using var pool = new BufferPool(1 << 20);

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(
            () => PartcloneTestImages.ReadAllAsync(image[..(int)cut], pool, maxChunk: 65536 + 7));

        Assert.Equal("data block 1 (rank 1)", error.Field);
        Assert.Equal(110 + 1 + 4 + (4 << 20) + 4, error.ByteOffset);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneReader_ReadError_ThrowsDeviceIOExceptionAndReleasesBuffers()
    {
        const long failAt = Ext4DataStart + (3 << 20) + 123;
        await using var reader = new PartcloneReader(new FaultyStream(Ext4(), failAt), "bad-disk.pc");
        using var pool = new BufferPool();
        var info = await reader.OpenAsync(CancellationToken.None);

        DeviceIOException error = await Assert.ThrowsAsync<DeviceIOException>(() => ExtentDrain.DrainAsync(reader, info, pool));

        Assert.Equal("bad-disk.pc", error.Path);
        Assert.InRange(error.Offset, Ext4DataStart, failAt);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(0, pool.Outstanding);
    }
}
