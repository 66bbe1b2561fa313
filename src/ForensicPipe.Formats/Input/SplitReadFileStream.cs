using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// A regular, uncompressed image file read forward at offsets (<c>pread</c>), each large read split in two halves that
/// are read at the same time: the first on a helper thread, the second on the caller's. Copying from the page cache
/// is most of the CPU time of checking an uncompressed image (docs/performance.md, "Where the time goes"); with two
/// reads in flight that copy is spread over two cores. The caller gets the bytes in order, as from one read; a read
/// is short only at the end of the file. The file's own position follows, so <see cref="SequentialImage.SeekableFile"/>
/// stays consistent. A read near the end of the file (less than <see cref="SplitThreshold"/> left of the length it had
/// when opened) is one <c>pread</c>: there is nothing to spread, and a small image never starts the helper thread,
/// which would cost more than reading it. Takes the file over.
/// </summary>
internal sealed class SplitReadFileStream : ForwardOnlyStream
{
    /// <summary>Reads of at least this many bytes are split; smaller ones are one <c>pread</c> on the caller.</summary>
    internal const int SplitThreshold = 256 * 1024;

    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private readonly SemaphoreSlim _work = new(0, 1);
    private readonly SemaphoreSlim _done = new(0, 1);
    private readonly long _lengthAtOpen;
    private Thread? _helper;
    private long _position;
    private Memory<byte> _helperBuffer;
    private long _helperOffset;
    private int _helperRead;
    private ExceptionDispatchInfo? _helperError;
    private volatile bool _stopping;

    /// <summary>Reads <paramref name="file"/> from its current position.</summary>
    public SplitReadFileStream(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _handle = file.SafeFileHandle;
        _position = file.Position;
        _lengthAtOpen = RandomAccess.GetLength(_handle);
    }

    /// <summary>Reads that were split in two.</summary>
    public long SplitReads { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int got = RandomAccess.Read(_handle, buffer, _position);
        Advance(got);
        return got;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A file that grew since it was opened is still read to its end, in reads that are not split.
        if (buffer.Length < SplitThreshold || _lengthAtOpen - _position < SplitThreshold)
        {
            return new ValueTask<int>(Read(buffer.Span));
        }
        return new ValueTask<int>(ReadSplit(buffer));
    }

    private int ReadSplit(Memory<byte> buffer)
    {
        // Halves on 4 KiB boundaries, so that each copy covers whole pages of the page cache.
        int half = (buffer.Length / 2) & ~4095;
        _helper ??= StartHelper();
        _helperBuffer = buffer[..half];
        _helperOffset = _position;
        _work.Release();
        int second;
        try
        {
            second = RandomAccess.Read(_handle, buffer.Span[half..], _position + half);
        }
        finally
        {
            _done.Wait();
        }
        _helperBuffer = default;
        if (_helperError is { } error)
        {
            _helperError = null;
            error.Throw();
        }
        SplitReads++;
        // A first half that ended early is the end of the file: whatever the second read saw lies beyond it.
        int got = _helperRead < half ? _helperRead : half + second;
        Advance(got);
        return got;
    }

    private void Advance(int got)
    {
        _position += got;
        _file.Position = _position;
    }

    private Thread StartHelper()
    {
        var thread = new Thread(Help) { IsBackground = true, Name = "fpipe file reader" };
        thread.Start();
        return thread;
    }

    private void Help()
    {
        while (true)
        {
            _work.Wait();
            if (_stopping)
            {
                return;
            }
            try
            {
                _helperRead = RandomAccess.Read(_handle, _helperBuffer.Span, _helperOffset);
            }
            catch (Exception ex)
            {
                _helperRead = 0;
                _helperError = ExceptionDispatchInfo.Capture(ex);
            }
            _done.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stopping)
        {
            _stopping = true;
            if (_helper is not null)
            {
                // The helper is idle between reads (every split read waits for it): wake it to end.
                _work.Release();
                _helper.Join();
            }
            _work.Dispose();
            _done.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
