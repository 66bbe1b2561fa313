using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// The forward-only byte stream of an image with its position, shared by the sequential readers. Large reads
/// (whole runs of blocks) go straight from the stream into the caller's buffer; small ones (a checksum after
/// every block, record tags, short runs) are served from a staging buffer, so they do not cost one system
/// call each. Needs neither Seek nor Length: works on pipes. A <see cref="FileStream"/> is read synchronously: its
/// asynchronous read is the same <c>read</c> handed to a thread-pool thread (Linux has no asynchronous file reads
/// for it to use), which only adds two thread switches per read.
/// </summary>
internal sealed class ImageInput
{
    /// <summary>Staging buffer size: one system call per this many bytes of small reads.</summary>
    internal const int StagingSize = 256 * 1024;

    /// <summary>Reads of at least this many bytes skip the staging buffer (no extra copy).</summary>
    internal const int DirectThreshold = 64 * 1024;

    private readonly Stream _stream;
    private readonly string _path;
    private readonly bool _readSynchronously;
    private byte[]? _staging;
    private int _stagedStart;
    private int _stagedEnd;
    private long _position;

    public ImageInput(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
        _readSynchronously = stream is FileStream;
    }

    /// <summary>Image bytes consumed so far: the image offset of the next byte.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Fills <paramref name="destination"/>; returns fewer bytes only at the end of the stream.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int staged = _stagedEnd - _stagedStart;
        if (staged >= destination.Length)
        {
            _staging.AsSpan(_stagedStart, destination.Length).CopyTo(destination.Span);
            _stagedStart += destination.Length;
            Interlocked.Add(ref _position, destination.Length);
            return new ValueTask<int>(destination.Length);
        }
        return ReadSlowAsync(destination, cancellationToken);
    }

    private async ValueTask<int> ReadSlowAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int done = _stagedEnd - _stagedStart;
        if (done > 0)
        {
            _staging.AsSpan(_stagedStart, done).CopyTo(destination.Span);
        }
        _stagedStart = _stagedEnd = 0;

        int missing = destination.Length - done;
        try
        {
            if (missing >= DirectThreshold)
            {
                done += await ReadAtLeastAsync(destination[done..], missing, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _staging ??= new byte[StagingSize];
                int got = await ReadAtLeastAsync(_staging, missing, cancellationToken).ConfigureAwait(false);
                int take = Math.Min(got, missing);
                _staging.AsSpan(0, take).CopyTo(destination.Span[done..]);
                _stagedStart = take;
                _stagedEnd = got;
                done += take;
            }
        }
        catch (IOException ex)
        {
            throw new DeviceIOException(_path, Position + done, $"cannot read the image: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or ICSharpCode.SharpZipLib.SharpZipBaseException)
        {
            // Offsets of a compressed image are offsets into its decompressed bytes.
            throw new ImageFormatException("image", "compressed data", Position + done, $"cannot decompress the image: {ex.Message}");
        }
        Interlocked.Add(ref _position, done);
        return done;
    }

    private ValueTask<int> ReadAtLeastAsync(Memory<byte> destination, int minimum, CancellationToken cancellationToken)
    {
        if (_readSynchronously)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(_stream.ReadAtLeast(destination.Span, minimum, throwOnEndOfStream: false));
        }
        return _stream.ReadAtLeastAsync(destination, minimum, throwOnEndOfStream: false, cancellationToken);
    }
}
