using System.Diagnostics.CodeAnalysis;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Partimage;

/// <summary>Builds and throws the reader's errors, so the hot loops stay small.</summary>
internal static class PartimageThrowHelper
{
    public const string FormatName = "partimage";

    public static ImageFormatException Invalid(string field, long byteOffset, string detail) =>
        new(FormatName, field, byteOffset, detail);

    [DoesNotReturn]
    public static void ThrowInvalid(string field, long byteOffset, string detail) =>
        throw Invalid(field, byteOffset, detail);

    /// <summary>A stored header sum does not match the bytes it covers (exit code 3).</summary>
    [DoesNotReturn]
    public static void ThrowChecksumMismatch(string field, long byteOffset, string detail) =>
        throw new ImageFormatException(FormatName, field, byteOffset, detail, isChecksumMismatch: true);

    /// <summary>The logical stream ended inside <paramref name="field"/>, which starts at logical byte
    /// <paramref name="fieldOffset"/> and needs <paramref name="fieldLength"/> bytes; <paramref name="present"/>
    /// of them were there. <paramref name="where"/> names the volume file and its offset.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated(string field, long fieldOffset, long fieldLength, long present, string where) =>
        throw Invalid(field, fieldOffset,
            $"image truncated: it ends at logical byte {fieldOffset + present} ({where}), {present} of the {fieldLength} bytes of the {field} present");
}
