using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// Writes the stream to standard output (a raw-file sink whose path is <c>-</c>, as dd's and dc3dd's
/// <c>of=-</c>): every byte in order, unfilled ranges as zeros. There is no file to rename, name in a sidecar
/// or read back, so <c>sparse</c>, <c>split</c>, <c>verify</c> and <c>overwrite</c> do not apply and no
/// sidecar is written; the report goes only where the job's report path says. docs/cli.md, "Standard output".
/// </summary>
public sealed class StandardOutputSink : IExtentConsumer
{
    /// <summary>The path that means standard output.</summary>
    public const string Path = "-";

    private Stream? _output;
    private long _bytesWritten;

    /// <inheritdoc />
    public string Name => "raw-file";

    /// <summary>Bytes written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        _output = Console.OpenStandardOutput();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        Stream output = _output ?? throw new InvalidOperationException("OpenAsync was not called.");
        try
        {
            if (extent.Kind == ExtentKind.Data)
            {
                output.Write(extent.Span);
            }
            else
            {
                ZeroBytes.ForEachChunk(extent.Length, output, (stream, zeros) => stream.Write(zeros));
            }
        }
        catch (IOException exception)
        {
            throw new DeviceIOException("standard output", extent.Offset, $"write failed (reader gone?): {exception.Message}", exception);
        }
        Interlocked.Add(ref _bytesWritten, extent.Length);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            _output?.Flush();
        }
        catch (IOException exception)
        {
            throw new DeviceIOException("standard output", BytesWritten, $"flush failed: {exception.Message}", exception);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["path"] = Path,
        ["standardOutput"] = true,
        ["bytesWritten"] = BytesWritten,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _output?.Dispose();
        _output = null;
        return ValueTask.CompletedTask;
    }
}
