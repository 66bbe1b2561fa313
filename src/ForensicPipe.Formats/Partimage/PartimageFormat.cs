using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Partimage;

/// <summary>The partimage 0.6.x image format (docs/formats/partimage.md).</summary>
public sealed class PartimageFormat : ImageFormat
{
    private PartimageFormat()
    {
    }

    /// <summary>The one instance, for the registry.</summary>
    public static PartimageFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Type => PartimageReader.FormatName;

    /// <inheritdoc />
    public override string Description => "partimage 0.6.x image (NAME.000, NAME.001, ...), plain, gzip or bzip2 volumes";

    /// <inheritdoc />
    public override int HeaderSize => PartimageDetector.HeaderSize;

    /// <inheritdoc />
    public override Type SpecType => typeof(PartimageSourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => PartimageSpecJson.Default;

    /// <inheritdoc />
    public override bool TryDetect(ReadOnlySpan<byte> head) => PartimageDetector.TryDetect(head);

    /// <inheritdoc />
    public override SourceSpec CreateSpec(string path) => new PartimageSourceSpec { Path = path };

    /// <inheritdoc />
    public override IExtentSource OpenSequential(SequentialImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new PartimageReader(image);
    }

    /// <inheritdoc />
    public override bool HasRandomAccess => true;

    /// <inheritdoc />
    public override async ValueTask<IRandomAccessImage> OpenRandomAccessAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken) =>
        await PartimageRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false);
}
