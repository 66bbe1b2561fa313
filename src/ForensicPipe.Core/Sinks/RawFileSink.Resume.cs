using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Sinks;

public sealed partial class RawFileSink
{
    private readonly Lock _handleLock = new();
    private bool _keepPartial;
    private long _writtenUpTo;

    /// <inheritdoc />
    public long WrittenUpTo => Volatile.Read(ref _writtenUpTo);

    /// <inheritdoc />
    public void KeepExistingPartial() => _keepPartial = true;

    /// <inheritdoc />
    public void FlushWritten()
    {
        lock (_handleLock)
        {
            if (_handle is not null)
            {
                RandomAccess.FlushToDisk(_handle);
                return;
            }
            // Closed (after the run): the bytes are in the page cache of the file under whichever name it has.
            string path = _committed ? FinalPath : PartialPath;
            if (File.Exists(path))
            {
                using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                RandomAccess.FlushToDisk(handle);
            }
        }
    }

    private void CloseHandle()
    {
        lock (_handleLock)
        {
            _handle?.Dispose();
            _handle = null;
        }
    }
}
