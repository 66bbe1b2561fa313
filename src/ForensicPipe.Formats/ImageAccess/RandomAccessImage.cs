using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Ntfsclone;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// Opens an image for random access: detects the format from the first bytes and hands the file to that
/// format's reader (<see cref="Formats"/>); a file of no known image format is a raw partition or device
/// (<see cref="RawRandomAccess"/>). Refuses, with the command that would make the image usable
/// (<see cref="RandomAccessRefusedException"/>): standard input and pipes, and compressed images.
/// </summary>
public static class RandomAccessImage
{
    /// <summary>Bytes read from the start of the file to detect its format.</summary>
    public const int ProbeSize = 512;

    /// <summary>
    /// The formats readable at random offsets, tried in order. To add one: implement
    /// <see cref="IRandomAccessImage"/> in the format's folder and add its entry here.
    /// </summary>
    public static IReadOnlyList<RandomAccessFormat> Formats { get; } =
    [
        new(PartcloneRandomAccess.FormatName, static probe => PartcloneDetector.TryDetect(probe, out _),
            static async (file, options, cancellationToken) => await PartcloneRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false),
            PartcloneReader.Open),
        new(NtfscloneReader.FormatName, static probe => NtfscloneDetector.TryDetect(probe),
            static async (file, options, cancellationToken) => await NtfscloneRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false),
            NtfscloneReader.Open),
        new(PartimageReader.FormatName, static probe => PartimageDetector.TryDetect(probe),
            static async (file, options, cancellationToken) => await PartimageRandomAccess.OpenAsync(file, options, cancellationToken).ConfigureAwait(false),
            PartimageReader.Open),
    ];

    /// <summary>
    /// Opens <paramref name="path"/> (a regular file or a block device) read-only for random access.
    /// </summary>
    /// <exception cref="RandomAccessRefusedException">Standard input, a pipe, a compressed image, or a format
    /// without a random-access reader.</exception>
    /// <exception cref="Core.Errors.ImageFormatException">The image is corrupt or truncated (with the byte offset).</exception>
    /// <exception cref="Core.Errors.DeviceIOException">The file cannot be opened or read.</exception>
    public static async ValueTask<IRandomAccessImage> OpenAsync(string path, RandomAccessOptions? options = null, CancellationToken cancellationToken = default)
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
            byte[] probe = new byte[ProbeSize];
            int length = file.ReadAt(0, probe);
            ReadOnlySpan<byte> head = probe.AsSpan(0, length);
            RandomAccessFormat? format = Identify(path, head);
            return format is null
                ? RawRandomAccess.Open(file, options)
                : await format.Open(file, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The format <paramref name="head"/> starts, or null for a raw partition; refuses compressed
    /// images and formats without a reader here.</summary>
    internal static RandomAccessFormat? Identify(string path, ReadOnlySpan<byte> head)
    {
        RefuseCompressed(path, head);
        foreach (RandomAccessFormat format in Formats)
        {
            if (format.Detect(head))
            {
                return format;
            }
        }
        return null;
    }

    private static void RefuseCompressed(string path, ReadOnlySpan<byte> head)
    {
        CompressedInput? compressed = CompressedInput.Detect(head);
        if (compressed is not null)
        {
            throw new RandomAccessRefusedException(path,
                $"is {compressed.Name}-compressed, which cannot be read at random offsets", $"decompress it first: {compressed.DecompressCommand(path)}");
        }
    }
}
