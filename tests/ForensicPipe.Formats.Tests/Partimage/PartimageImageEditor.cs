using System.Buffers.Binary;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partimage;

/// <summary>What reading a damaged image gave: the error the reader threw (if any) and the verification log.</summary>
internal sealed record PartimageOutcome(ImageFormatException? Error, VerificationLog Log, DrainResult? Result);

/// <summary>Edits an uncompressed single-volume partimage image in memory, addressed by logical offset (file offset
/// − 512, docs/formats/partimage.md, "Logical stream"), and reads images to the end with the verifier, catching only
/// format errors.</summary>
internal static class PartimageImageEditor
{
    public const int VolumeHeaderSize = 512;

    // docs/formats/partimage.md, "Logical stream": layout for mbr_count 0 and empty extension records.
    public const long MainHeader = 0;
    public const long LocalHeader = 16384 + 4 + 21 + (10 * 22) + 23;
    public const long InfoHeader = LocalHeader + 16384 + 4 + 18; // + bitmap_size + 16

    public static void Set(byte[] file, long logical, byte value) => file[VolumeHeaderSize + logical] = value;

    public static void SetUInt32(byte[] file, long logical, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)(VolumeHeaderSize + logical)), value);

    public static void SetUInt64(byte[] file, long logical, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan((int)(VolumeHeaderSize + logical)), value);

    /// <summary>Rewrites the signed-byte sum (docs/formats/partimage.md, "Checksums") after the 16384-byte header at
    /// <paramref name="logical"/>, so that a changed field is seen by the field checks rather than by the sum
    /// check.</summary>
    public static void FixSum(byte[] file, long logical)
    {
        int start = (int)(VolumeHeaderSize + logical);
        uint sum = PartimageSums.SignedByteSum(file.AsSpan(start, 16384));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(start + 16384), sum);
    }

    /// <summary>Opens and reads the whole image with the verifier; a format error is returned, anything else thrown.</summary>
    public static async Task<PartimageOutcome> ReadAsync(string firstVolume, int bufferSize = BufferPool.DefaultBufferSize)
    {
        using var pool = new BufferPool(bufferSize);
        var log = new VerificationLog();
        try
        {
            await using PartimageReader reader = PartimageReader.Open(firstVolume);
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            DrainResult result = await ExtentDrain.DrainAsync(reader, info, pool, log: log);
            return new PartimageOutcome(null, log, result);
        }
        catch (ImageFormatException ex)
        {
            return new PartimageOutcome(ex, log, null);
        }
        finally
        {
            Assert.Equal(0, pool.Outstanding);
        }
    }
}
