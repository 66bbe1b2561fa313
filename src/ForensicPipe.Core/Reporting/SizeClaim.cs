using System.Globalization;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Reporting;

/// <summary>
/// Weighs the partition size a header claims against the data the image holds. A header may claim any size
/// (its checksum, where there is one, is recomputed as easily as the field is changed): a 1.2 MB partclone
/// image whose <c>device_size</c> says 16 TiB reads as a valid 16 TiB partition. Real images of nearly empty
/// large partitions exist, so this warns instead of refusing, and only when both hold: the claimed size is
/// over <see cref="SuspectSize"/> (1 TiB) and over <see cref="SuspectRatio"/> (1000) times the data bytes
/// (used blocks × block size). A 4 TiB partition with 10 GiB in use is not named; a 16 TiB claim over
/// 1.2 MB of data is, and so (a warning, not a refusal) is a fresh 2 TiB file system holding 1 GiB. What a raw output of that size would need on disk is checked separately, before
/// anything is written (<see cref="Sinks.RawFileSink.CheckTarget(SourceInfo)"/>).
/// </summary>
public static class SizeClaim
{
    /// <summary>Claimed sizes up to this (1 TiB) are never named.</summary>
    public const long SuspectSize = 1L << 40;

    /// <summary>Claimed size per data byte above which a size over <see cref="SuspectSize"/> is named.</summary>
    public const long SuspectRatio = 1000;

    /// <summary>The warning for <paramref name="info"/>, or null when its size is plausible or the data bytes
    /// are not known.</summary>
    public static string? Warning(SourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Size is not long size || info.DataBytes is not long data || size <= SuspectSize)
        {
            return null;
        }
        if (data > 0 && (data > long.MaxValue / SuspectRatio || size <= data * SuspectRatio))
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"the header claims a partition of {size} bytes but the image holds {data} data bytes (more than {SuspectRatio}× and over 1 TiB): the size field may be damaged or forged; a raw output needs the whole claimed size unless it is sparse");
    }

    /// <summary><paramref name="info"/> with <see cref="Warning"/> added to its warnings, when there is one.</summary>
    public static SourceInfo WithWarning(SourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Warning(info) is string warning ? info with { Warnings = [.. info.Warnings, warning] } : info;
    }
}
