using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Fuzz.Targets;

namespace ForensicPipe.Fuzz;

/// <summary>Every fuzz target, by name (docs/fuzzing.md, "Targets"). Each has a seed corpus in <c>corpus/NAME</c> (<see cref="FuzzTarget.CorpusName"/>).</summary>
public static class FuzzTargets
{
    // Built on first use: under afl-fuzz, instrumented code (the formats' static instances) may run only after
    // SharpFuzz has mapped the coverage memory, that is inside the fuzzing callback.
    private static readonly Lazy<FuzzTarget[]> s_all = new(() =>
    [
        new ImageFormatTarget("partclone", PartcloneFormat.Instance, "image.img"),
        new PartcloneChecksumFixupTarget(),
        new ImageFormatTarget("partimage", PartimageFormat.Instance, "image.000"),
        new PartimageChecksumFixupTarget(),
        new ImageFormatTarget("ntfsclone", NtfscloneFormat.Instance, "image.img"),
        new ImageFormatTarget("e01", E01Format.Instance, "image.E01"),
        new E01ChecksumFixupTarget(),
        new DecompressorTarget(ImageCompression.Gzip),
        new DecompressorTarget(ImageCompression.Zstd),
        new DecompressorTarget(ImageCompression.Xz),
        new DecompressorTarget(ImageCompression.Lz4),
        new DecompressorTarget(ImageCompression.Bzip2),
        new SplitSetTarget(),
        new SfdiskTarget(),
        new ClonezillaFolderTarget(),
        new DetectionTarget(),
    ]);

    /// <summary>The names of <see cref="All"/>, known without running any code of the formats.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["partclone", "partclone-crc", "partimage", "partimage-sum", "ntfsclone", "e01", "e01-adler", "gzip", "zstd", "xz", "lz4", "bzip2", "split", "sfdisk", "clonezilla", "detect"];

    /// <summary>The targets, in campaign order.</summary>
    public static IReadOnlyList<FuzzTarget> All => s_all.Value;

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(target => target.Name == name);
}
