using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// An image format read both ways from one file: the sequential reader (header, bitmap or record stream, data,
/// checksums verified) and the random-access reader (index built, reads verified). The input is the image file.
/// </summary>
public sealed class ImageFormatTarget : FuzzTarget
{
    private readonly ImageFormat _format;
    private readonly string _fileName;

    /// <summary>A target named <paramref name="name"/> for <paramref name="format"/>, whose image is written as
    /// <paramref name="fileName"/> (the name some readers look at: <c>.000</c> volumes, <c>.E01</c> segments).</summary>
    public ImageFormatTarget(string name, ImageFormat format, string fileName)
    {
        Name = name;
        _format = format;
        _fileName = fileName;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description => $"{_format.Type}: sequential reader with checksums, then random access with verified reads";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        string path = scratch.Write(_fileName, input);
        FuzzRead.Both(
            () => FuzzRead.DrainSequential(_format.OpenSequential(SequentialImage.Open(path))),
            () => FuzzRead.ReadRandom(_format, path));
    }
}
