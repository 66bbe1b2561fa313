using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A source, told apart by its <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(FileSourceSpec), "file")]
[JsonDerivedType(typeof(PartcloneSourceSpec), "partclone")]
[JsonDerivedType(typeof(NtfscloneSourceSpec), "ntfsclone")]
[JsonDerivedType(typeof(DeviceSourceSpec), "device")]
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
