using System.Diagnostics.CodeAnalysis;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>Builds and throws the reader's errors, so the record loop stays small.</summary>
internal static class NtfscloneThrowHelper
{
    public const string FormatName = "ntfsclone";

    [DoesNotReturn]
    public static void ThrowInvalid(string field, long byteOffset, string detail) =>
        throw new ImageFormatException(FormatName, field, byteOffset, detail);

    /// <summary>The image ended inside <paramref name="field"/>, which starts at <paramref name="fieldOffset"/> and
    /// needs <paramref name="fieldLength"/> bytes; only <paramref name="present"/> of them were there.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated(string field, long fieldOffset, long fieldLength, long present) =>
        ThrowInvalid(field, fieldOffset,
            $"image truncated: it ends at byte {fieldOffset + present}, {present} of the {fieldLength} bytes of the {field} present");
}
