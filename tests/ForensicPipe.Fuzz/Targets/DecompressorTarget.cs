using ForensicPipe.Formats.Input;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// One compressor of the input layer: the file is opened as <see cref="SequentialImage"/> opens an image (magic bytes,
/// decoder thread) and its decompressed bytes read to the end. Inputs that do not start with the compressor's magic
/// are skipped, so the campaign stays in the decoder.
/// </summary>
public sealed class DecompressorTarget : FuzzTarget
{
    private readonly ImageCompression _compression;

    /// <summary>A target for <paramref name="compression"/>.</summary>
    public DecompressorTarget(ImageCompression compression)
    {
        _compression = compression;
        Name = compression.ToString().ToLowerInvariant();
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description => $"{Name} stream through SequentialImage (decoder thread), read to its end";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (SequentialImage.DetectCompression(input) != _compression)
        {
            return;
        }
        string path = scratch.Write("image.img", input);
        FuzzRead.DrainStream(SequentialImage.Open(path).Stream);
    }
}
