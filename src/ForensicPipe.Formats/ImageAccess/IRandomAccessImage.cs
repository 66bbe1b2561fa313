using System.Text.Json.Nodes;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// The reconstructed partition (or raw device) of an image, readable at any offset without restoring it
/// (docs/architecture.md, "Random access (mount)"). Blocks the image does not contain read as the fill of
/// <see cref="RandomAccessOptions.Fill"/> (zeros by default, as <c>partclone.restore -W</c> writes them).
/// <see cref="Read"/> is safe to call from several threads at once: implementations use positional reads
/// (<see cref="System.IO.RandomAccess.Read(Microsoft.Win32.SafeHandles.SafeFileHandle, Span{byte}, long)"/>)
/// and keep no per-call state. The image file is opened read-only and never written.
/// </summary>
public interface IRandomAccessImage : IDisposable
{
    /// <summary>The image's path as given.</summary>
    string Path { get; }

    /// <summary>Format name: <c>partclone</c>, <c>raw</c>, …</summary>
    string Format { get; }

    /// <summary>Bytes of the reconstructed partition.</summary>
    long Length { get; }

    /// <summary>File-system type the image names (<c>EXTFS</c>, <c>NTFS</c>, …), or null when the format
    /// does not record it (raw).</summary>
    string? FileSystem { get; }

    /// <summary>Bytes of memory the random-access structures hold (index, bitmap, verification state).</summary>
    long IndexMemoryBytes { get; }

    /// <summary>
    /// Copies the partition bytes at <paramref name="offset"/> into <paramref name="destination"/>. Returns the
    /// number of bytes copied: <c>destination.Length</c>, or fewer only where the partition ends
    /// (0 at or beyond <see cref="Length"/>). Throws <see cref="Core.Errors.DeviceIOException"/> when the image
    /// cannot be read and <see cref="Core.Errors.ImageFormatException"/> when a checksum verified on read
    /// (<see cref="RandomAccessOptions.VerifyReads"/>) does not match; both name the image byte offset.
    /// </summary>
    int Read(long offset, Span<byte> destination);

    /// <summary>The facts shown by <c>fpipe mount</c> and in messages: format fields, index parameters.</summary>
    JsonObject Describe();
}
