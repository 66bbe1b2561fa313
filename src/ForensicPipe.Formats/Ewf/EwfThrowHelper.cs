using System.Diagnostics.CodeAnalysis;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Ewf;

/// <summary>Builds the one-line errors of the EWF reader: the segment file, the byte offset in it, the field.</summary>
internal static class EwfThrowHelper
{
    /// <summary>A structure of <paramref name="segment"/> at <paramref name="offset"/> is invalid.</summary>
    public static ImageFormatException Invalid(string segment, string field, long offset, string detail) =>
        new(EwfFormat.Name, $"{Path.GetFileName(segment)}: {field}", offset, detail);

    [DoesNotReturn]
    public static void ThrowInvalid(string segment, string field, long offset, string detail) =>
        throw Invalid(segment, field, offset, detail);

    /// <summary>A stored checksum or digest does not match: exit code 3.</summary>
    public static ImageFormatException Mismatch(string segment, string field, long offset, string detail) =>
        new(EwfFormat.Name, $"{Path.GetFileName(segment)}: {field}", offset, detail, isChecksumMismatch: true);

    [DoesNotReturn]
    public static void ThrowMismatch(string segment, string field, long offset, string detail) =>
        throw Mismatch(segment, field, offset, detail);
}
