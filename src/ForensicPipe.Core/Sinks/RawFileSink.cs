using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// Writes the reconstructed partition to a raw image file. It writes to <c>NAME.partial</c> and renames it
/// to <c>NAME</c> only when the whole job has succeeded, so an output that exists under its name is
/// complete. It refuses to replace an existing <c>NAME</c> unless told to. Unfilled Absent or Unreadable
/// extents become zeros, or holes when the sink is sparse. Sector-aligned pieces are written with
/// <c>O_DIRECT</c> where the file system allows it (<see cref="DirectIo"/>), the rest through the page cache.
/// </summary>
public sealed partial class RawFileSink : IExtentConsumer, ITargetCheck, IResumableOutput
{
    /// <summary>Suffix of the file being written.</summary>
    public const string PartialSuffix = ".partial";

    private readonly bool _overwrite;
    private readonly bool _sparse;
    private readonly bool _sync;
    private SafeFileHandle? _handle;
    private long _end;
    private long _bytesWritten;
    private long _holeBytes;
    private bool _committed;
    private DirectIoSwitch? _direct;
    private bool _folderSynced;

    /// <summary>Creates the sink for <paramref name="path"/>.</summary>
    /// <param name="path">The final name of the output.</param>
    /// <param name="overwrite">Replace an existing output.</param>
    /// <param name="sparse">Leave holes for unfilled Absent/Unreadable extents instead of writing zeros.</param>
    /// <param name="sync">fsync the file before presenting it as complete.</param>
    public RawFileSink(string path, bool overwrite = false, bool sparse = false, bool sync = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FinalPath = Path.GetFullPath(path);
        _overwrite = overwrite;
        _sparse = sparse;
        _sync = sync;
    }

    /// <inheritdoc />
    public string Name => "raw-file";

    /// <summary>The output's name once complete.</summary>
    public string FinalPath { get; }

    /// <summary>The name it is written under until then.</summary>
    public string PartialPath => FinalPath + PartialSuffix;

    /// <summary>Whether the output was renamed to its final name.</summary>
    public bool Committed => _committed;

    /// <summary>Bytes written (holes not counted).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Checks that the output may be created; called before anything runs.</summary>
    public void CheckTarget()
    {
        if (!_overwrite && File.Exists(FinalPath))
        {
            throw new JobValidationException(FinalPath, "$", "the output exists; set \"overwrite\": true (or --overwrite) to replace it");
        }
        if (Directory.Exists(FinalPath))
        {
            throw new JobValidationException(FinalPath, "$", "the output is a directory");
        }
    }

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        CheckTarget();
        RemoveStaleSidecars();
        try
        {
            _handle = File.OpenHandle(PartialPath, _keepPartial ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
            _direct = DirectIoSwitch.TryEnable(_handle, DirectIo.Alignment);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(PartialPath, 0, $"cannot create the output: {exception.Message}", exception);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        SafeFileHandle handle = _handle ?? throw new InvalidOperationException("OpenAsync was not called.");
        try
        {
            _writeOffset = extent.Offset;
            if (extent.Kind == ExtentKind.Data)
            {
                Write(handle, extent.Span, extent.Offset);
            }
            else if (_sparse)
            {
                _holeBytes += extent.Length;
            }
            else
            {
                long offset = extent.Offset;
                ZeroBytes.ForEachChunk(extent.Length, this, (self, zeros) =>
                {
                    self.Write(handle, zeros, offset);
                    offset += zeros.Length;
                });
            }
        }
        catch (IOException exception)
        {
            throw FirstWriteError(exception);
        }
        _end = extent.End;
        Volatile.Write(ref _writtenUpTo, extent.End);
        return ValueTask.CompletedTask;
    }

    private void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset)
    {
        _writeOffset = offset;
        _direct?.Prepare(offset, data);
        RandomAccess.Write(handle, data, offset);
        _direct?.Transferred(data.Length);
        Interlocked.Add(ref _bytesWritten, data.Length);
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        SafeFileHandle handle = _handle ?? throw new InvalidOperationException("OpenAsync was not called.");
        try
        {
            // A trailing hole is not written: the length makes it part of the file.
            if (RandomAccess.GetLength(handle) != _end)
            {
                RandomAccess.SetLength(handle, _end);
            }
            if (_sync)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }
        catch (IOException exception)
        {
            throw new DeviceIOException(PartialPath, _end, $"cannot finish the output: {exception.Message}", exception);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        CloseHandle();
        RemoveStaleSidecars();
        File.Move(PartialPath, FinalPath, _overwrite);
        _committed = true;
        if (_sync)
        {
            // fsync(2): the rename is durable only once the folder is synced too.
            _folderSynced = FileDurability.SyncDirectory(Path.GetDirectoryName(FinalPath)!);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["path"] = _committed ? FinalPath : PartialPath,
        ["complete"] = _committed,
        ["size"] = _end,
        ["bytesWritten"] = BytesWritten,
        ["sparse"] = _sparse,
        ["holeBytes"] = _holeBytes,
        ["synced"] = _sync,
        ["folderSynced"] = _folderSynced,
        ["directIo"] = _direct?.Available == true ? "used for aligned pieces" : "refused by the file system; page cache used",
        ["directBytes"] = _direct?.DirectBytes ?? 0,
        ["writtenUpTo"] = WrittenUpTo,
        ["firstError"] = _firstError,
        ["resumedFromPartial"] = _keepPartial ? true : null,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        CloseHandle();
        return ValueTask.CompletedTask;
    }
}
