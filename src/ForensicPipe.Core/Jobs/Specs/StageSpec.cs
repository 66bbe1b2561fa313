using System.ComponentModel;
using System.Text.Json.Serialization;
using ForensicPipe.Core.Stages.Verify;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A stage, told apart by its <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HashStageSpec), "hash")]
[JsonDerivedType(typeof(VerifyStageSpec), "verify")]
[JsonDerivedType(typeof(FillStageSpec), "fill")]
public abstract class StageSpec;

/// <summary>Digests of the final stream, a thread per algorithm, or per cost-balanced group of them when they
/// outnumber the processors (<see cref="Stages.Hashing.HashThreadPlan"/>).</summary>
[Description("Digests of the final stream; a thread per algorithm, or per cost-balanced group of them when they outnumber the processors.")]
public sealed class HashStageSpec : StageSpec
{
    /// <summary>Any of md5, sha1, sha256, sha384, sha512.</summary>
    [Description("Any of md5, sha1, sha256, sha384, sha512.")]
    public required IReadOnlyList<string> Algorithms { get; init; }

    /// <summary>Bytes per piecewise digest (as dcfldd's hashwindow); absent = none.</summary>
    [Description("Also a digest of every WINDOW bytes (piecewise hashing, as dcfldd's hashwindow).")]
    public long? Window { get; init; }
}

/// <summary>Checks the image's own checksums.</summary>
[Description("Checks the image's own checksums (partclone CRC-32 groups).")]
public sealed class VerifyStageSpec : StageSpec
{
    /// <summary>End the job at the first mismatch (<c>fail</c>) or record all and go on (<c>record</c>).</summary>
    [Description("fail: end the job at the first mismatch; record: list every mismatch and go on (exit code 3).")]
    public MismatchPolicy OnMismatch { get; set; } = MismatchPolicy.Fail;
}

/// <summary>Materialises absent (and unreadable) ranges with a pattern.</summary>
[Description("Fills ranges the image does not contain (and unreadable ones) with a pattern.")]
public sealed class FillStageSpec : StageSpec
{
    /// <summary><c>deadbeef</c>, <c>zero</c>, or 1–16 bytes of hex.</summary>
    [Description("deadbeef (default), zero, or 1 to 16 bytes of hex such as 0xfeedface.")]
    public string Pattern { get; set; } = "deadbeef";
}
