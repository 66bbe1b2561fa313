using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A sink, told apart by its <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RawFileSinkSpec), "raw-file")]
[JsonDerivedType(typeof(NullSinkSpec), "null")]
[JsonDerivedType(typeof(DeviceSinkSpec), "device")]
[JsonDerivedType(typeof(E01SinkSpec), "e01")]
public abstract class SinkSpec;

/// <summary>A raw image file, written as NAME.partial and renamed on success.</summary>
[Description("A raw image file, written as PATH.partial and renamed to PATH when the job succeeds.")]
public sealed class RawFileSinkSpec : SinkSpec
{
    /// <summary>The output; relative to the job file's folder.</summary>
    [Description("The output file; a relative path is relative to the job file's folder; - writes to standard output (no sidecars).")]
    public required string Path { get; init; }

    /// <summary>Replace an existing output.</summary>
    [Description("Replace an existing output (and its report and sidecars).")]
    public bool Overwrite { get; init; }

    /// <summary>Holes instead of zeros for unfilled ranges.</summary>
    [Description("Leave holes for ranges that no fill stage materialised, instead of writing zeros.")]
    public bool Sparse { get; init; }

    /// <summary>fsync before renaming.</summary>
    [Description("fsync the output before it is renamed to its final name, and its folder after the rename.")]
    public bool Sync { get; init; }

    /// <summary>Bytes per piece of a split output (PATH.001, PATH.002, …), or null for one file.</summary>
    [Description("Split the output into pieces of this many bytes (at least 4096): PATH.001, PATH.002, …, each with its own digests and sidecar lines.")]
    public long? Split { get; init; }

    /// <summary>Read the output back past the page cache and compare digests before renaming.</summary>
    [Description("After writing, read the output back bypassing the page cache (O_DIRECT, else fdatasync and POSIX_FADV_DONTNEED) and compare its digests with those of what was written; a difference is a verification mismatch (exit 3) and the output stays .partial.")]
    public bool Verify { get; init; }
}

/// <summary>Discards the data (hash- or verify-only jobs).</summary>
[Description("Discards the data, for jobs that only hash or verify.")]
public sealed class NullSinkSpec : SinkSpec;
