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
    private readonly bool _sequentialFromMemory;

    /// <summary>A target named <paramref name="name"/> for <paramref name="format"/>, whose image is written as
    /// <paramref name="fileName"/> (the name some readers look at: <c>.000</c> volumes, <c>.E01</c> segments). With
    /// <paramref name="sequentialFromMemory"/> the sequential reader reads the input as from a pipe (a stream that is
    /// not a file), not the file: a plain file's <see cref="SequentialImage"/> starts a helper thread for its 256 KiB
    /// split reads, which cost five times the parsing of a small input; the parser sees the same bytes (docs/fuzzing.md,
    /// "Speed"). Formats whose sequential reader reads a file at offsets (ntfsclone, E01) keep the file.</summary>
    public ImageFormatTarget(string name, ImageFormat format, string fileName, bool sequentialFromMemory = false)
    {
        _sequentialFromMemory = sequentialFromMemory;
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
        byte[]? copy = _sequentialFromMemory ? input.ToArray() : null;
        FuzzRead.Both(
            () => FuzzRead.DrainSequential(_format.OpenSequential(copy is null
                ? SequentialImage.Open(path)
                : SequentialImage.Open(new MemoryStream(copy, writable: false), path))),
            () => FuzzRead.ReadRandom(_format, path));
    }
}
