using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Formats.Registry;

/// <summary>
/// The image formats fpipe reads, in the order detection tries them. <see cref="Default"/> holds the
/// formats of this assembly; a registry with other formats (a test's, say) serves the same verbs and jobs.
/// </summary>
public sealed class ImageFormatRegistry
{
    private readonly ImageFormat[] _formats;

    /// <summary>A registry of <paramref name="formats"/>, tried in this order.</summary>
    public ImageFormatRegistry(IEnumerable<ImageFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        _formats = [.. formats];
        foreach (IGrouping<string, ImageFormat> twice in _formats.GroupBy(format => format.Type).Where(group => group.Count() > 1))
        {
            throw new ArgumentException($"the format '{twice.Key}' is listed twice", nameof(formats));
        }
        foreach (ImageFormat format in _formats.Where(format => format.HeaderSize is < 1 or > SequentialImage.ProbeSize))
        {
            throw new ArgumentException($"the format '{format.Type}' needs {format.HeaderSize} bytes to be detected; 1 to {SequentialImage.ProbeSize} are read", nameof(formats));
        }
    }

    /// <summary>Every format of this assembly. To add one: a folder with its <see cref="ImageFormat"/>, and one
    /// line here.</summary>
    public static ImageFormatRegistry Default { get; } = new(
    [
        PartcloneFormat.Instance,
        PartimageFormat.Instance,
        NtfscloneFormat.Instance,
        E01Format.Instance,
    ]);

    /// <summary>The formats, in detection order.</summary>
    public IReadOnlyList<ImageFormat> Formats => _formats;

    /// <summary>The format whose job <c>"type"</c> is <paramref name="type"/>, or null.</summary>
    public ImageFormat? Find(string type) => Array.Find(_formats, format => format.Type == type);

    /// <summary>The first format that recognises <paramref name="head"/>, or null.</summary>
    public ImageFormat? Identify(ReadOnlySpan<byte> head)
    {
        foreach (ImageFormat format in _formats)
        {
            if (format.TryDetect(head))
            {
                return format;
            }
        }
        return null;
    }

    /// <summary>Opens <paramref name="path"/> (a file, a FIFO or <c>-</c> for standard input; compressed or not)
    /// once and recognises its format from the first bytes, which stay available to the reader.</summary>
    /// <exception cref="ImageFormatException">No format of this registry recognises the image.</exception>
    public DetectedImage Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // The reader names the file in its messages with its full path, as a job's resolved path does; the
        // spec keeps the path as given, for the job as run.
        SequentialImage input = SequentialImage.Open(path == Core.Sources.FileSource.StandardInput ? path : Path.GetFullPath(path));
        ImageFormat? format = Identify(input.Probe);
        if (format is null)
        {
            input.Dispose();
            string first = Convert.ToHexStringLower(input.Probe.AsSpan(0, Math.Min(16, input.Probe.Length)));
            string hint = Clonezilla.ClonezillaImageName.TryParse(path) is { IsUnreadableCompression: true } name
                ? $"; the file name says {name.CompressionSuffix} compression, which fpipe does not read: decompress it with its own tool and pipe it in (… -dc FILE | fpipe verify -)"
                : "";
            throw new ImageFormatException(path, "magic", 0,
                $"not {Names()} image (first bytes {(first.Length == 0 ? "none: the file is empty" : first)}){hint}");
        }
        return new DetectedImage(format, input, path);
    }

    /// <summary>Opens <paramref name="path"/> (a regular file or a block device) read-only for random access: the
    /// format's random-access reader, or the raw bytes when no format recognises it.</summary>
    /// <exception cref="RandomAccessRefusedException">Standard input, a pipe, a compressed image, or a format
    /// without random access.</exception>
    public async ValueTask<IRandomAccessImage> OpenRandomAccessAsync(string path, RandomAccessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RandomAccessOptions();
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new RandomAccessRefusedException(path,
                $"index size {options.IndexSize} is not a power of two from {RandomAccessOptions.MinIndexSize} to {RandomAccessOptions.MaxIndexSize}");
        }
        ImageFile file = ImageFile.Open(path);
        try
        {
            byte[] probe = new byte[SequentialImage.ProbeSize];
            int length = file.ReadAt(0, probe);
            ImageFormat? format = IdentifyForRandomAccess(path, probe.AsSpan(0, length));
            return format is null
                ? RawRandomAccess.Open(file, options)
                : await format.OpenRandomAccessAsync(file, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The format <paramref name="head"/> starts, or null for raw bytes; refuses compressed images and
    /// formats without random access, with the command that helps.</summary>
    internal ImageFormat? IdentifyForRandomAccess(string path, ReadOnlySpan<byte> head)
    {
        CompressedInput? compressed = CompressedInput.Detect(head);
        if (compressed is not null)
        {
            throw new RandomAccessRefusedException(path,
                $"is {compressed.Name}-compressed, which cannot be read at random offsets", $"decompress it first: {compressed.DecompressCommand(path)}");
        }
        ImageFormat? format = Identify(head);
        return format is { HasRandomAccess: false }
            ? throw new RandomAccessRefusedException(path, $"is a {format.Type} image, which cannot be read at random offsets here",
                $"restore it to a raw file first: fpipe restore '{path}' OUT.raw")
            : format;
    }

    /// <summary>Adds every format as a job source kind to <paramref name="components"/>.</summary>
    public JobComponents RegisterInto(JobComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        foreach (ImageFormat format in _formats)
        {
            components.AddSource(format);
            format.RegisterSinks(components);
        }
        return components;
    }

    /// <summary>"a partclone, ntfsclone or partimage" for messages.</summary>
    private string Names() => _formats.Length switch
    {
        0 => "an",
        1 => $"a {_formats[0].Type}",
        _ => $"a {string.Join(", ", _formats[..^1].Select(format => format.Type))} or {_formats[^1].Type}",
    };
}
