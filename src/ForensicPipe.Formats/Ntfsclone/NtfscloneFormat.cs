using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>The ntfsclone special image format (docs/formats/ntfsclone.md).</summary>
public sealed class NtfscloneFormat : ImageFormat
{
    private NtfscloneFormat()
    {
    }

    /// <summary>The one instance, for the registry.</summary>
    public static NtfscloneFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Type => NtfscloneReader.FormatName;

    /// <inheritdoc />
    public override string Description => "ntfsclone special image (ntfsclone --save-image, Clonezilla's *.ntfs-img), full or metadata-only";

    /// <inheritdoc />
    public override int HeaderSize => NtfscloneDetector.HeaderSize;

    /// <inheritdoc />
    public override Type SpecType => typeof(NtfscloneSourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => NtfscloneSpecJson.Default;

    /// <inheritdoc />
    public override bool TryDetect(ReadOnlySpan<byte> head) => NtfscloneDetector.TryDetect(head);

    /// <inheritdoc />
    public override SourceSpec CreateSpec(string path) => new NtfscloneSourceSpec { Path = path };

    /// <inheritdoc />
    public override IExtentSource OpenSequential(SequentialImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        // An uncompressed regular file is also read at offsets (the record scan, metadata images): the reader
        // takes the file itself, from its first byte; a pipe or a decompressed stream is read forward only.
        if (image.SeekableFile is FileStream file)
        {
            file.Position = 0;
            return new NtfscloneReader(file, image.Path);
        }
        return new NtfscloneReader(image.Stream, image.Path);
    }

    /// <inheritdoc />
    public override bool HasRandomAccess => true;

    /// <inheritdoc />
    public override async ValueTask<IRandomAccessImage> OpenRandomAccessAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken) =>
        await NtfscloneRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false);
}
