using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Header rules for the XXH modes, at least as strict as partclone 0.3.47's <c>load_image_desc_v2</c>: the
/// checksum size must match the mode, blocks per checksum must not be 0 when a mode is set. Each refusal is one
/// line naming the field and its byte offset; the header CRC is recomputed after the patch, so the patched field
/// is the only reason.
/// </summary>
[Collection(Partclone047Collection.Name)]
public sealed class PartcloneXxhHeaderTests(Partclone047Fixture images)
{
    public static TheoryData<ushort, ushort, uint, string, long, string> BadOptions() => new()
    {
        { 0x31, 8, 256, "checksum_size", 98, "value 8 does not match checksum mode 0x31 (XXH3-128), which stores 16" },
        { 0x31, 4, 256, "checksum_size", 98, "value 4 does not match checksum mode 0x31 (XXH3-128), which stores 16" },
        { 0x30, 16, 256, "checksum_size", 98, "value 16 does not match checksum mode 0x30 (XXH64), which stores 8" },
        { 0x00, 16, 256, "checksum_size", 98, "value 16 does not match checksum mode 0x00 (NONE), which stores 0" },
        { 0x31, 16, 0, "blocks_per_checksum", 100, "value 0 with checksum mode 0x31 (XXH3-128); it must be at least 1" },
        { 0x30, 8, 0, "blocks_per_checksum", 100, "value 0 with checksum mode 0x30 (XXH64); it must be at least 1" },
        { 0x32, 16, 256, "checksum_mode", 96, "unknown checksum mode 0x32" },
        { 0x13, 16, 256, "checksum_mode", 96, "unknown checksum mode 0x13" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task PartcloneReader_XxhHeaderOptionsInconsistent_RefusedInOneLineWithOffset(
        ushort mode, ushort size, uint blocksPerChecksum, string field, long offset, string message)
    {
        byte[] image = PartcloneTestImages.PatchHeader(File.ReadAllBytes(images.PathOf("ext4.a3.pc")), h =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[96..], mode);
            BinaryPrimitives.WriteUInt16LittleEndian(h[98..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[100..], blocksPerChecksum);
        });
        using var pool = new BufferPool();

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => PartcloneTestImages.ReadAllAsync(image, pool));

        Assert.Equal(field, error.Field);
        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{field} at byte {offset}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(error.IsChecksumMismatch);
        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>An XXH3-128 image whose header claims XXH64 (a consistent mode and size, CRC fixed) is read with
    /// the wrong stride: its groups mismatch and the bytes left over after the last expected checksum are refused.</summary>
    [Fact]
    public async Task PartcloneReader_Xxh3ImageRelabelledXxh64_RefusedAtTheExpectedEnd()
    {
        byte[] original = File.ReadAllBytes(images.PathOf("ext4.a3.pc"));
        byte[] image = PartcloneTestImages.PatchHeader(original, h =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[96..], 0x30);
            BinaryPrimitives.WriteUInt16LittleEndian(h[98..], 8);
        });
        using var pool = new BufferPool();

        ImageFormatException error = await Assert.ThrowsAsync<ImageFormatException>(() => PartcloneTestImages.ReadAllAsync(image, pool));

        Assert.Equal("end of image", error.Field);
        Assert.True(error.ByteOffset < original.Length);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(0, pool.Outstanding);
    }
}
