using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Registry;

/// <summary>
/// An image whose format was recognised, with its input still open: the bytes read to recognise it are
/// kept and given to the reader, so standard input, a FIFO or a decompressed stream is read once.
/// <see cref="OpenSource"/> hands the input to the format's reader; until then disposing closes it.
/// </summary>
public sealed class DetectedImage : IDisposable
{
    private SequentialImage? _input;

    internal DetectedImage(ImageFormat format, SequentialImage input, string givenPath)
    {
        Format = format;
        _input = input;
        Spec = format.CreateSpec(givenPath);
    }

    /// <summary>The recognised format.</summary>
    public ImageFormat Format { get; }

    /// <summary>The job spec that names this image and its format (for the job as run, in the report).</summary>
    public SourceSpec Spec { get; }

    /// <summary>The compression under the format, as detected.</summary>
    public ImageCompression Compression => (_input ?? throw Handed()).Compression;

    /// <summary>The format's sequential reader on the opened input; once only.</summary>
    public IExtentSource OpenSource()
    {
        SequentialImage input = _input ?? throw Handed();
        _input = null;
        return Format.OpenReader(input);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _input?.Dispose();
        _input = null;
    }

    private static InvalidOperationException Handed() => new("The input was already handed to the reader.");
}
