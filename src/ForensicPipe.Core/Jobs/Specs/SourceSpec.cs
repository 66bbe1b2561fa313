using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A source, told apart by its <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(FileSourceSpec), "file")]
[JsonDerivedType(typeof(PartcloneSourceSpec), "partclone")]
[JsonDerivedType(typeof(NtfscloneSourceSpec), "ntfsclone")]
[JsonDerivedType(typeof(DeviceSourceSpec), "device")]
[JsonDerivedType(typeof(PartimageSourceSpec), "partimage")]
[JsonDerivedType(typeof(E01SourceSpec), "e01")]
public abstract class SourceSpec
{
    /// <summary>The input; relative paths are relative to the job file's folder.</summary>
    [Description("The input; a relative path is relative to the job file's folder.")]
    public required string Path { get; init; }
}

/// <summary>A raw image: a file, or <c>-</c> for standard input.</summary>
[Description("A raw image: a regular file, a FIFO, or - for standard input.")]
public sealed class FileSourceSpec : SourceSpec;

/// <summary>A partclone image (format 0001 or 0002), read sequentially; works from a pipe.</summary>
[Description("A partclone image (format 0001 or 0002), read sequentially; - reads standard input.")]
public sealed class PartcloneSourceSpec : SourceSpec;

/// <summary>An ntfsclone special image (<c>ntfsclone --save-image</c>), full or metadata-only.</summary>
[Description("An ntfsclone special image (ntfsclone --save-image), read forward; - reads standard input. A metadata image (--metadata) needs a seekable file.")]
public sealed class NtfscloneSourceSpec : SourceSpec;
/// <summary>A partimage 0.6.x image: the first volume file (<c>NAME.000</c>); the following volumes are found by
/// name. Each volume may be plain, gzip or bzip2. Read sequentially; <c>-</c> reads a single-volume image from
/// standard input.</summary>
[Description("A partimage 0.6.x image: the first volume file (NAME.000); NAME.001, ... are found by name; plain, gzip or bzip2 volumes; - reads a single-volume image from standard input.")]
public sealed class PartimageSourceSpec : SourceSpec;
