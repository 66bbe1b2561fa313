using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.IO;

/// <summary>
/// The <c>O_DIRECT</c> state of one open file or device: on for transfers whose offset, length and buffer
/// address are multiples of the alignment (the logical sector size), off for the others (a file's unaligned
/// tail, zeros for unfilled ranges), which then go through the page cache; off for good once the file
/// system refuses it. Counts the bytes that went direct, for the report. Not thread-safe: one per handle,
/// used by the one thread that transfers.
/// </summary>
public sealed class DirectIoSwitch
{
    private readonly SafeFileHandle _handle;
    private readonly int _alignment;

    /// <summary>The switch of <paramref name="handle"/>, opened with <c>O_DIRECT</c> when <paramref name="on"/>
    /// (then direct transfers are available).</summary>
    public DirectIoSwitch(SafeFileHandle handle, int alignment, bool on)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfLessThan(alignment, 1);
        _handle = handle;
        _alignment = alignment;
        Available = On = on;
    }

    /// <summary>Whether direct transfers can be used on this handle.</summary>
    public bool Available { get; private set; }

    /// <summary>Whether <c>O_DIRECT</c> is set now.</summary>
    public bool On { get; private set; }

    /// <summary>Bytes transferred with <c>O_DIRECT</c> set.</summary>
    public long DirectBytes { get; private set; }

    /// <summary>Turns <c>O_DIRECT</c> on an opened file on, where the file system allows it (not on tmpfs).</summary>
    public static DirectIoSwitch TryEnable(SafeFileHandle handle, int alignment) => new(handle, alignment, DirectIo.TrySet(handle, direct: true));

    /// <summary>Sets <c>O_DIRECT</c> for a transfer of <paramref name="length"/> bytes at <paramref name="offset"/>
    /// from or into <paramref name="address"/>: on when all three are aligned, off otherwise.</summary>
    public unsafe void Prepare(long offset, int length, void* address)
    {
        if (!Available)
        {
            return;
        }
        bool aligned = offset % _alignment == 0 && length % _alignment == 0 && (nuint)address % (nuint)_alignment == 0;
        if (aligned != On)
        {
            On = DirectIo.TrySet(_handle, aligned) ? aligned : On;
        }
    }

    /// <summary><see cref="Prepare(long, int, void*)"/> for a span.</summary>
    public unsafe void Prepare(long offset, ReadOnlySpan<byte> data)
    {
        fixed (byte* address = data)
        {
            Prepare(offset, data.Length, address);
        }
    }

    /// <summary>Counts a finished transfer of <paramref name="bytes"/>.</summary>
    public void Transferred(int bytes)
    {
        if (On)
        {
            DirectBytes += bytes;
        }
    }

    /// <summary>The file system refused a direct transfer that it accepted at open: use the page cache from now
    /// on. False when <c>O_DIRECT</c> could not even be turned off.</summary>
    public bool GiveUp()
    {
        if (!DirectIo.TrySet(_handle, direct: false))
        {
            return false;
        }
        Available = On = false;
        return true;
    }
}
