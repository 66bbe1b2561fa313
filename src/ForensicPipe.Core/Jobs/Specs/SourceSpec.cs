using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A source, told apart by its <c>"type"</c>. The raw file and the device are built in; image
/// formats add their own spec types through <see cref="JobComponents.AddSource"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(FileSourceSpec), "file")]
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
