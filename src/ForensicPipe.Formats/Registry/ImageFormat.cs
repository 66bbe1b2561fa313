using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Registry;

/// <summary>
/// Everything fpipe knows about one image format, in one place: its name (the job source <c>"type"</c>),
/// how to recognise it from its first bytes, its job spec, its sequential reader, and its random-access
/// reader when it has one. <see cref="ImageFormatRegistry"/> lists the formats; the CLI verbs, job loading,
/// the JSON Schema and <c>fpipe info</c> ask the registry, so a format is one folder plus one line there
/// (docs/formats/README.md).
/// </summary>
public abstract class ImageFormat : SourceKind
{
    /// <summary>One line for users: what the format is and which tool writes it.</summary>
    public abstract string Description { get; }

    /// <summary>How many first bytes <see cref="TryDetect"/> needs to decide (at most
    /// <see cref="SequentialImage.ProbeSize"/>).</summary>
    public abstract int HeaderSize { get; }

    /// <summary>Whether <paramref name="head"/> (the first bytes of the image after decompression; fewer than
    /// <see cref="HeaderSize"/> only when the image is shorter) starts an image of this format.</summary>
    public abstract bool TryDetect(ReadOnlySpan<byte> head);

    /// <summary>The job spec that reads <paramref name="path"/> as this format.</summary>
    public abstract SourceSpec CreateSpec(string path);

    /// <summary>The sequential reader of an opened input; it takes the input over (also when it throws
    /// later, from <see cref="IExtentSource.OpenAsync"/>, it disposes of it).</summary>
    public abstract IExtentSource OpenSequential(SequentialImage image);

    /// <summary>The format's reader on <paramref name="image"/> (<see cref="OpenSequential"/>); when the file has a
    /// Clonezilla image name, what the name says is weighed against the bytes and recorded beside the header
    /// (<see cref="Clonezilla.ClonezillaNameCheck"/>). Takes the input over.</summary>
    public IExtentSource OpenReader(SequentialImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        IExtentSource reader = OpenSequential(image);
        return Clonezilla.ClonezillaImageName.TryParse(image.Path) is Clonezilla.ClonezillaImageName name
            ? new Clonezilla.ClonezillaNamedSource(reader, name, Type, image.Compression)
            : reader;
    }

    /// <summary>Whether <see cref="OpenRandomAccessAsync"/> is implemented (what <c>fpipe mount</c> needs).</summary>
    public virtual bool HasRandomAccess => false;

    /// <summary>Opens an uncompressed image file for reads at any partition offset; takes the file over on
    /// success and leaves it open on failure.</summary>
    public virtual ValueTask<IRandomAccessImage> OpenRandomAccessAsync(ImageFile file, RandomAccessOptions options, CancellationToken cancellationToken) =>
        throw new RandomAccessRefusedException(file.Path, $"is a {Type} image, which cannot be read at random offsets here");

    /// <summary>Registers the sinks that write this format (E01), if any; called with the format's source.</summary>
    public virtual void RegisterSinks(JobComponents components)
    {
    }

    /// <inheritdoc />
    public override IExtentSource CreateSource(SourceSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        return OpenReader(SequentialImage.Open(context.Resolve(spec.Path)));
    }
}
