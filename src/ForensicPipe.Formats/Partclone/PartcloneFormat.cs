using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Partclone;

/// <summary>The partclone image format (docs/formats/partclone.md).</summary>
public sealed class PartcloneFormat : ImageFormat
{
    private PartcloneFormat()
    {
    }

    /// <summary>The one instance, for the registry.</summary>
    public static PartcloneFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Type => PartcloneReader.FormatName;

    /// <inheritdoc />
    public override string Description => "partclone image (partclone.* -c, Clonezilla's *-ptcl-img), format 0001 or 0002";

    /// <inheritdoc />
    public override int HeaderSize => PartcloneDetector.HeaderSize;

    /// <inheritdoc />
    public override Type SpecType => typeof(PartcloneSourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => PartcloneSpecJson.Default;

    /// <inheritdoc />
    public override bool TryDetect(ReadOnlySpan<byte> head) => PartcloneDetector.TryDetect(head, out _);

    /// <inheritdoc />
    public override SourceSpec CreateSpec(string path) => new PartcloneSourceSpec { Path = path };

    /// <inheritdoc />
    public override IExtentSource OpenSequential(SequentialImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new PartcloneReader(image.Stream, image.Path);
    }

    /// <inheritdoc />
    public override bool HasRandomAccess => true;

    /// <inheritdoc />
    public override async ValueTask<IRandomAccessImage> OpenRandomAccessAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken) =>
        await PartcloneRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false);
}
