using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// Opens an image for random access with the formats of <see cref="ImageFormatRegistry.Default"/>: the
/// format's random-access reader, or the raw bytes (<see cref="RawRandomAccess"/>) when no format
/// recognises the file. Refuses, with the command that would make the image usable
/// (<see cref="RandomAccessRefusedException"/>): standard input and pipes, and compressed images.
/// </summary>
public static class RandomAccessImage
{
    /// <summary>Bytes read from the start of the file to detect its format.</summary>
    public const int ProbeSize = SequentialImage.ProbeSize;

    /// <summary>Opens <paramref name="path"/> (a regular file or a block device) read-only for random access.</summary>
    /// <exception cref="RandomAccessRefusedException">Standard input, a pipe, a compressed image, or a format
    /// without a random-access reader.</exception>
    /// <exception cref="Core.Errors.ImageFormatException">The image is corrupt or truncated (with the byte offset).</exception>
    /// <exception cref="Core.Errors.DeviceIOException">The file cannot be opened or read.</exception>
    public static ValueTask<IRandomAccessImage> OpenAsync(string path, RandomAccessOptions? options = null, CancellationToken cancellationToken = default) =>
        ImageFormatRegistry.Default.OpenRandomAccessAsync(path, options, cancellationToken);
}
