using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Ewf;

/// <summary>The Expert Witness (EWF-E01, EnCase 6) evidence container (docs/formats/e01.md): a source read
/// through its chunk tables, with random access, and the <c>e01</c> sink that writes it.</summary>
public sealed class E01Format : ImageFormat
{
    private E01Format()
    {
    }

    /// <summary>The one instance, for the registry.</summary>
    public static E01Format Instance { get; } = new();

    /// <inheritdoc />
    public override string Type => EwfFormat.Name;

    /// <inheritdoc />
    public override string Description => "Expert Witness / EnCase 6 evidence container (NAME.E01, NAME.E02, ...)";

    /// <inheritdoc />
    public override int HeaderSize => EwfDetector.HeaderSize;

    /// <inheritdoc />
    public override Type SpecType => typeof(E01SourceSpec);

    /// <inheritdoc />
    public override IJsonTypeInfoResolver SpecResolver => E01SpecJson.Default;

    /// <inheritdoc />
    public override bool TryDetect(ReadOnlySpan<byte> head) => EwfDetector.TryDetect(head);

    /// <inheritdoc />
    public override SourceSpec CreateSpec(string path) => new E01SourceSpec { Path = path };

    /// <inheritdoc />
    public override IExtentSource OpenSequential(SequentialImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        // The chunk tables point back and forth in each segment file and the set spans several files: an
        // E01 is read at offsets, from files. Detection's handle is closed and the set opened by name.
        bool seekable = image.SeekableFile is not null;
        image.Dispose();
        if (!seekable)
        {
            throw new ImageFormatException(image.Path, "input", 0,
                "an E01 set is read at offsets from its segment files, not from a pipe or a compressed stream: give the NAME.E01 file");
        }
        return EwfReader.Open(image.Path);
    }

    /// <inheritdoc />
    public override bool HasRandomAccess => true;

    /// <inheritdoc />
    public override ValueTask<IRandomAccessImage> OpenRandomAccessAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken) =>
        EwfRandomAccess.OpenAsync(file, options, cancellationToken);

    /// <inheritdoc />
    public override void RegisterSinks(JobComponents components) => EwfComponents.RegisterSink(components);
}
