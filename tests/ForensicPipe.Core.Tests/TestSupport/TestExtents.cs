using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>A source that emits a given list of extent descriptions, filling Data from a byte array,
/// and can throw after a number of extents.</summary>
public sealed class ScriptedSource(byte[] content, IReadOnlyList<(ExtentKind Kind, long Length)> script, int throwAfter = -1) : IExtentSource
{
    public IImageVerifier? Verifier => null;

    public long BytesRead { get; private set; }

    public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SourceInfo("scripted", "raw", script.Sum(s => s.Length)));

    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long offset = 0;
        int emitted = 0;
        foreach ((ExtentKind kind, long length) in script)
        {
            await Task.Yield();
            if (emitted++ == throwAfter)
            {
                throw new IOException($"injected source failure at byte {offset}");
            }
            if (kind == ExtentKind.Data)
            {
                ReadOnlySpan<byte> bytes = content.AsSpan((int)offset, (int)length);
                PooledBuffer buffer = pool.Rent();
                bytes.CopyTo(buffer.Span);
                BytesRead += length;
                yield return Extent.Data(offset, buffer, (int)length);
            }
            else if (kind == ExtentKind.Absent)
            {
                yield return Extent.Absent(offset, length);
            }
            else
            {
                yield return Extent.Unreadable(offset, length, "injected");
            }
            offset += length;
        }
    }

    public JsonObject? DescribeAfterRun() => null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Data extents of <paramref name="chunk"/> bytes covering <paramref name="length"/>.</summary>
    public static List<(ExtentKind, long)> DataChunks(long length, int chunk)
    {
        var script = new List<(ExtentKind, long)>();
        for (long offset = 0; offset < length; offset += chunk)
        {
            script.Add((ExtentKind.Data, Math.Min(chunk, length - offset)));
        }
        return script;
    }
}

/// <summary>A consumer that records what it sees, can be slow, and can throw at a chosen point.</summary>
public sealed class RecordingConsumer(string name = "recorder", int throwAtExtent = -1, bool throwOnComplete = false, int delayMs = 0) : IExtentConsumer
{
    private readonly MemoryStream _bytes = new();

    public string Name => name;

    public List<(ExtentKind Kind, long Offset, long Length)> Seen { get; } = [];

    public bool Completed { get; private set; }

    public bool Committed { get; private set; }

    public byte[] Bytes => _bytes.ToArray();

    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        if (delayMs > 0)
        {
            await Task.Delay(delayMs, cancellationToken);
        }
        if (Seen.Count == throwAtExtent)
        {
            throw new IOException($"injected failure in {name} at byte {extent.Offset}");
        }
        Seen.Add((extent.Kind, extent.Offset, extent.Length));
        if (extent.Kind == ExtentKind.Data)
        {
            _bytes.Write(extent.Span);
        }
        else
        {
            _bytes.Write(new byte[extent.Length]);
        }
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (throwOnComplete)
        {
            throw new IOException($"injected failure in {name} on completion");
        }
        Completed = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        Committed = true;
        return ValueTask.CompletedTask;
    }

    public JsonObject Describe() => [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
