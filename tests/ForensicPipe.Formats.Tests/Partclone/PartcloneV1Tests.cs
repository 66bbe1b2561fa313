using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Checksums;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>Format 0001 (partclone &lt; 0.3), synthesised as docs/formats/partclone.md, "Synthesising a 0001 image"
/// describes.</summary>
[Collection(PartcloneCorpusCollection.Name)]
public sealed class PartcloneV1Tests(PartcloneCorpusFixture corpus)
{
    [Fact]
    public async Task PartcloneV1Builder_Ext4_MatchesFormatsVector()
    {
        // docs/formats/partclone.md, "Known-answer values": ext4.v1.pc, data_start 69704, 16678072 bytes.
        await using FileStream file = File.OpenRead(corpus.PathOf(PartcloneCorpusFixture.V1Image));
        Assert.Equal("295bd6f5749f23277102b67681d29a54779d82d6c5d79d353eec92492c6008cd",
            Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
        Assert.Equal(16678072, file.Length);
    }

    [Fact]
    public async Task PartcloneV1Reader_Ext4_HeaderAndLayout()
    {
        await using PartcloneReader reader = PartcloneReader.Open(corpus.PathOf(PartcloneCorpusFixture.V1Image));
        SourceInfo info = await reader.OpenAsync(CancellationToken.None);
        PartcloneHeader header = reader.Header;

        Assert.Equal(PartcloneImageVersion.V1, header.FormatVersion);
        Assert.Equal("0001", header.FormatVersionText);
        Assert.Equal("EXTFS", header.FileSystem);
        Assert.Equal(1024, header.BlockSize);
        Assert.Equal(65536, header.TotalBlocks);
        Assert.Equal(16156, header.UsedBlocks);
        Assert.Equal(69704, header.DataStart);
        Assert.Equal(16678072, header.ExpectedImageSize);
        Assert.Equal(65536L * 1024, info.Size);
        Assert.Equal(PartcloneChecksumMode.Crc32FirstByte, header.ChecksumMode);
        Assert.Equal(16156, header.ChecksumCount);
        Assert.Null(header.HeaderCrc);
        Assert.Null(reader.HeaderChecksum);
        Assert.Null(reader.BitmapChecksum);
        Assert.Equal(16156, reader.Bitmap.SetCount);
        Assert.Equal("0001", (string?)info.Details!["formatVersion"]);
        Assert.Equal(header.BitmapTrailerOffset, (long?)info.Details["bitmapMagicOffset"]);
    }

    [Fact]
    public async Task PartcloneV1Verifier_FirstByteCrc_KnownAnswer()
    {
        // docs/formats/partclone.md, "The 0001 first-byte CRC": one block "123456789" from 0xFFFFFFFF -> 0xCE159010 =
        // pc-crc("111111111").
        Assert.Equal(0xCE159010u, PartcloneV1ImageBuilder.FirstByteCrc(0xFFFFFFFF, (byte)'1', 9));
        Assert.Equal(0xCE159010u, Crc32.Update(0xFFFFFFFF, "111111111"u8));
        byte[] image = PartcloneV1ImageBuilder.Build(9, [null, "123456789"u8.ToArray(), null]);
        Assert.Equal(0xCE159010u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(4160 + 3 + 8 + 9)));
        using var pool = new BufferPool();

        (SourceInfo info, DrainResult result, VerificationLog log) = await PartcloneTestImages.ReadAllAsync(image, pool);

        Assert.Equal(27, info.Size);
        Assert.Equal(9, result.DataBytes);
        Assert.Equal(1, log.Checked);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>
    /// docs/formats/partclone.md, "The 0001 first-byte CRC": partclone.chkimg 0.3.23 accepts a flipped byte in the
    /// middle of a block (the buggy CRC only sees the first byte), rejects a flipped first byte or CRC byte, and
    /// rejects an image that carries correct CRC-32 values. We reproduce the bug, so our verdicts are the same. One
    /// deliberate difference: format 0001 has no bitmap checksum, and chkimg does not notice a present block turned
    /// absent (the CRC chain follows the data, not the block numbers, and it ignores what is left at the end); we
    /// refuse it, because the bitmap then has fewer set bits than used_blocks.
    /// </summary>
    [Fact]
    public async Task PartcloneV1Verifier_Corruption_VerdictsEqualChkimg()
    {
        string source = corpus.PathOf(PartcloneCorpusFixture.V1Image);
        const long dataStart = 4160 + 65536 + 8;
        const int stride = 1024 + 4;
        const long rank = 9000;
        byte[] byteBitmap = new byte[65536];
        await using (FileStream file = File.OpenRead(source))
        {
            file.Position = 4160;
            file.ReadExactly(byteBitmap);
        }
        long presentBlock = Array.IndexOf(byteBitmap, (byte)1, 1000);
        long absentBlock = Array.IndexOf(byteBitmap, (byte)0, 1000);
        var cases = new (string Name, string Source, long? Offset, byte? Value, bool ChkimgAccepts, bool WeAccept)[]
        {
            ("good", source, null, null, true, true),
            ("middle byte", source, dataStart + (rank * stride) + 512, null, true, true),
            ("last byte", source, dataStart + (rank * stride) + 1023, null, true, true),
            ("first byte", source, dataStart + (rank * stride), null, false, false),
            ("CRC byte", source, dataStart + (rank * stride) + 1024 + 2, null, false, false),
            ("absent block marked present", source, 4160 + absentBlock, 1, false, false),
            ("present block marked absent", source, 4160 + presentBlock, 0, true, false),
            ("correct CRC-32 values", corpus.PathOf(PartcloneCorpusFixture.V1CorrectCrcImage), null, null, false, false),
        };

        var results = await Task.WhenAll(cases.Select(async c =>
        {
            string path = c.Source;
            if (c.Offset is long offset)
            {
                path = corpus.PathOf($"v1.{c.Name.Replace(' ', '-')}.damaged");
                PartcloneTestImages.CorruptCopy(c.Source, path, offset, c.Value);
            }
            Task<ToolResult> chkimg = PartcloneCorpusFixture.ChkimgAsync(path);
            (bool accepted, string detail) = await PartcloneTestImages.OurVerdictAsync(path);
            ToolResult tool = await chkimg;
            if (c.Offset is not null)
            {
                File.Delete(path);
            }
            return (c.Name, c.ChkimgAccepts, c.WeAccept, Chkimg: tool.ExitCode == 0, Ours: accepted, Detail: detail);
        }));

        foreach (var r in results)
        {
            Assert.True(r.ChkimgAccepts == r.Chkimg, $"{r.Name}: partclone.chkimg accepted={r.Chkimg}, expected {r.ChkimgAccepts}");
            Assert.True(r.WeAccept == r.Ours, $"{r.Name}: we accepted={r.Ours}, expected {r.WeAccept}: {r.Detail}");
        }
    }

    [Fact]
    public async Task PartcloneV1Reader_BitmapBytesOtherThanOne_AreAbsent()
    {
        // docs/formats/partclone.md, "Format 0001": only the value 1 means present.
        byte[] image = PartcloneV1ImageBuilder.Build(512, [new byte[512], null, Enumerable.Repeat((byte)7, 512).ToArray(), null]);
        image[4160 + 1] = 2;
        image[4160 + 3] = 0xFF;
        using var pool = new BufferPool();

        (_, DrainResult result, VerificationLog log) = await PartcloneTestImages.ReadAllAsync(image, pool);

        Assert.Equal(1024, result.DataBytes);
        Assert.Equal(1024, result.AbsentBytes);
        Assert.Equal(2, log.Checked);
        Assert.Equal(0, log.MismatchCount);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(100, "header", 0)]
    [InlineData(4160 + 2, "bitmap", 4160)]
    [InlineData(4160 + 4 + 3, "bitmap magic", 4164)]
    [InlineData(4172 + 100, "data block 0 (rank 0)", 4172)]
    [InlineData(4172 + 512 + 2, "CRC of data block 0 (rank 0)", 4172 + 512)]
    [InlineData(4172 + 516 + 511, "data block 2 (rank 1)", 4172 + 516)]
    public async Task PartcloneV1Reader_Truncated_ThrowsWithFieldAndOffset(int length, string field, long offset)
    {
        byte[] image = PartcloneV1ImageBuilder.Build(512, [new byte[512], null, new byte[512], new byte[512]]);
        using var pool = new BufferPool();

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => PartcloneTestImages.ReadAllAsync(image[..length], pool));

        Assert.Equal(field, error.Field);
        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains($"{field} at byte {offset}", error.Message);
        Assert.Contains($"ends at byte {length}", error.Message);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task PartcloneV1Reader_WrongBitmapMagic_Throws()
    {
        byte[] image = PartcloneV1ImageBuilder.Build(512, [new byte[512]]);
        Encoding.ASCII.GetBytes("BiTmAgIx").CopyTo(image, 4161);
        using var pool = new BufferPool();

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => PartcloneTestImages.ReadAllAsync(image, pool));

        Assert.Equal("bitmap magic", error.Field);
        Assert.Equal(4161, error.ByteOffset);
    }
}
