using System.Text.Json.Nodes;

namespace ForensicPipe.Core.Pipeline;

/// <summary>What a source knows about its input once it is open.</summary>
/// <param name="Path">The file, device or <c>-</c> for standard input, as given.</param>
/// <param name="Format">The input's format (<c>raw</c>, <c>partclone</c>, …).</param>
/// <param name="Size">Bytes of the reconstructed partition or device, when known before reading (not for
/// a raw stream on a pipe). Progress, ETA and size checks of targets use it.</param>
/// <param name="Details">Format details for the report (image header, device geometry), or null.</param>
public sealed record SourceInfo(string Path, string Format, long? Size, JsonObject? Details = null)
{
    /// <summary>Things the user must know about the input that are not errors (e.g. an ntfsclone metadata image,
    /// which holds no file contents): listed in the report and printed on standard error.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Bytes of the partition the input actually holds (used blocks × block size of an image), when
    /// known before reading: what a sparse output needs on disk, and what a header's size is weighed against
    /// (<see cref="Reporting.SizeClaim"/>). Null when unknown or equal to <see cref="Size"/> (a raw input).</summary>
    public long? DataBytes { get; init; }
}
