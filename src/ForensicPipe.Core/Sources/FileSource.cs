using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Sources;

/// <summary>
/// A raw image: a regular file, a FIFO, or standard input (<c>-</c>). Opened read-only — a source is
/// evidence. Emits only Data extents, each one full pool buffer except the last.
/// </summary>
public sealed class FileSource : IExtentSource
{
    /// <summary>The path that stands for standard input.</summary>
    public const string StandardInput = "-";

    private readonly string _path;
    private Stream? _stream;
    private long _bytesRead;

    /// <summary>Creates the source; nothing is opened until <see cref="OpenAsync"/>.</summary>
    public FileSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
    }

    /// <inheritdoc />
    public IImageVerifier? Verifier => null;

    /// <inheritdoc />
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <inheritdoc />
    public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        if (_path == StandardInput)
        {
            _stream = Console.OpenStandardInput(BufferPool.DefaultBufferSize);
            return ValueTask.FromResult(new SourceInfo(_path, "raw", null));
        }
        try
        {
            // bufferSize 0: reads go straight into the pool buffers.
            var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0,
                FileOptions.SequentialScan);
            _stream = file;
            long? size = file.CanSeek ? file.Length : null;
            return ValueTask.FromResult(new SourceInfo(Path.GetFullPath(_path), "raw", size));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ForensicPipeException($"{_path}: cannot open the source: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Stream stream = _stream ?? throw new InvalidOperationException("OpenAsync was not called.");
        long offset = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PooledBuffer buffer = pool.Rent();
            int filled;
            try
            {
                filled = await stream.ReadAtLeastAsync(buffer.Memory, buffer.Size, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                buffer.Release();
                if (exception is IOException or UnauthorizedAccessException)
                {
                    throw new DeviceIOException(_path, offset, $"read failed: {exception.Message}", exception);
                }
                throw;
            }
            if (filled == 0)
            {
                buffer.Release();
                yield break;
            }
            Interlocked.Add(ref _bytesRead, filled);
            yield return Extent.Data(offset, buffer, filled);
            offset += filled;
            if (filled < buffer.Size)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => null;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
