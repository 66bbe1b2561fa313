using System.Diagnostics.CodeAnalysis;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Partclone;

/// <summary>Builds and throws the reader's errors, so the hot loops stay small.</summary>
internal static class PartcloneThrowHelper
{
    public const string FormatName = "partclone";

    public static ImageFormatException Invalid(string field, long byteOffset, string detail) =>
        new(FormatName, field, byteOffset, detail);

    [DoesNotReturn]
    public static void ThrowInvalid(string field, long byteOffset, string detail) =>
        throw Invalid(field, byteOffset, detail);

    /// <summary>A stored header or bitmap CRC does not match the bytes it covers.</summary>
    [DoesNotReturn]
    public static void ThrowChecksumMismatch(string field, long byteOffset, string detail) =>
        throw new ImageFormatException(FormatName, field, byteOffset, detail, isChecksumMismatch: true);

    /// <summary>The image ended inside <paramref name="field"/>, which starts at <paramref name="fieldOffset"/>
    /// and needs <paramref name="fieldLength"/> bytes; only <paramref name="present"/> of them were there.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated(string field, long fieldOffset, long fieldLength, long present, long? expectedImageSize)
    {
        string expected = expectedImageSize is long size ? $"; expected image size {size} bytes" : "";
        throw Invalid(field, fieldOffset,
            $"image truncated: it ends at byte {fieldOffset + present}, {present} of the {fieldLength} bytes of the {field} present{expected}");
    }
}
