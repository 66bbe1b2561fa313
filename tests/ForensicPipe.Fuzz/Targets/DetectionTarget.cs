using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// Format detection through <see cref="ImageFormatRegistry.Default"/>: the file is opened as <c>fpipe info</c> and
/// <c>restore</c> open an image (compression, then the format that recognises the first bytes, whose reader reads it
/// all), and as <c>fpipe mount</c> does (<see cref="RandomAccessImage"/>: a format's random-access reader or raw bytes).
/// </summary>
public sealed class DetectionTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "detect";

    /// <inheritdoc />
    public override string Description => "ImageFormatRegistry.Default.Open + the detected reader; RandomAccessImage.OpenAsync";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        string path = scratch.Write("image.img", input);
        FuzzRead.Both(
            () =>
            {
                using DetectedImage detected = ImageFormatRegistry.Default.Open(path);
                FuzzRead.DrainSequential(detected.OpenSource());
            },
            () =>
            {
                using IRandomAccessImage image = RandomAccessImage.OpenAsync(path).AsTask().GetAwaiter().GetResult();
                FuzzRead.ReadRandom(image);
            });
    }
}
