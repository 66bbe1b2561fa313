using ForensicPipe.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Sinks;

/// <summary>One file of a split output: written as <c>NAME.NNN.partial</c> with <c>O_DIRECT</c> for aligned
/// pieces (as <see cref="RawFileSink"/>), renamed to <c>NAME.NNN</c> on commit.</summary>
internal sealed class SplitPiece : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly bool _directAvailable;
    private bool _directOn;

    public SplitPiece(string finalPath, IEnumerable<string> algorithms)
    {
        FinalPath = finalPath;
        _handle = File.OpenHandle(PartialPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        _directAvailable = _directOn = DirectIo.TrySet(_handle, direct: true);
        Digests = new DigestSet(algorithms);
    }

    public string FinalPath { get; }

    public string PartialPath => FinalPath + RawFileSink.PartialSuffix;

    /// <summary>Digests of the piece's bytes as written (holes count as the zeros they read as).</summary>
    public DigestSet Digests { get; }

    /// <summary>The piece's length so far.</summary>
    public long Length { get; private set; }

    public long BytesWritten { get; private set; }

    public long DirectBytes { get; private set; }

    public bool Closed { get; private set; }

    /// <summary>Offsets, lengths and addresses of direct writes are multiples of this (the largest logical sector).</summary>
    private const int Alignment = 4096;

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        bool direct = _directAvailable && IsAligned(offset, data);
        if (direct != _directOn)
        {
            _directOn = DirectIo.TrySet(_handle, direct) ? direct : _directOn;
        }
        RandomAccess.Write(_handle, data, offset);
        if (_directOn)
        {
            DirectBytes += data.Length;
        }
        BytesWritten += data.Length;
        Digests.Append(data);
        Length = offset + data.Length;
    }

    private static unsafe bool IsAligned(long offset, ReadOnlySpan<byte> data)
    {
        fixed (byte* address = data)
        {
            return offset % Alignment == 0 && data.Length % Alignment == 0 && (nuint)address % Alignment == 0;
        }
    }

    public void Hole(long offset, long length)
    {
        Digests.AppendZeros(length);
        Length = offset + length;
    }

    /// <summary>Sets the length (a trailing hole is not written), fsyncs when asked, and closes the file.</summary>
    public void Finish(bool sync)
    {
        if (RandomAccess.GetLength(_handle) != Length)
        {
            RandomAccess.SetLength(_handle, Length);
        }
        if (sync)
        {
            RandomAccess.FlushToDisk(_handle);
        }
        _handle.Dispose();
        Closed = true;
    }

    public void Dispose()
    {
        _handle.Dispose();
        Digests.Dispose();
    }
}
