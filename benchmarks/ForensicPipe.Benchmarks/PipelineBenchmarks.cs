using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Sinks;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// The Dataflow graph over 256 MiB held in memory (no I/O): one hasher, the three of an evidence copy,
/// and no hasher at all (the graph's own cost per extent). Allocations per run are the deterministic
/// figure; wall times on this 2-core VM are noisy, so peer comparisons are whole-process runs
/// (compare-peers.sh).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Size = 256 << 20;
    private byte[] _data = [];

    [Params("none", "md5", "md5,sha1,sha256")]
    public string Hashes { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
        // Check the output before timing anything.
        var hasher = new HashConsumer("sha256");
        RunAsync([hasher]).GetAwaiter().GetResult();
        if (hasher.Digest != Convert.ToHexStringLower(SHA256.HashData(_data)))
        {
            throw new InvalidOperationException("The pipeline's SHA-256 differs from the one-shot digest.");
        }
    }

    [Benchmark]
    public Task Run()
    {
        List<IExtentConsumer> consumers = [new NullSink()];
        if (Hashes != "none")
        {
            consumers.AddRange(Hashes.Split(',').Select(name => new HashConsumer(name)));
        }
        return RunAsync(consumers);
    }

    private async Task RunAsync(List<IExtentConsumer> consumers)
    {
        using var pool = new BufferPool();
        var source = new MemorySource(_data);
        await source.OpenAsync(default);
        PipelineResult result = await new ExtentPipeline(source, [], consumers, pool).RunAsync(default);
        if (!result.Succeeded || pool.Outstanding != 0)
        {
            throw new InvalidOperationException($"run failed: {result.Fault}");
        }
    }

    /// <summary>Emits the array in pool-buffer-sized Data extents.</summary>
    private sealed class MemorySource(byte[] data) : IExtentSource
    {
        public IImageVerifier? Verifier => null;

        public long BytesRead { get; private set; }

        public ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new SourceInfo("memory", "raw", data.Length));

        public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            for (int offset = 0; offset < data.Length; offset += pool.BufferSize)
            {
                int length = Math.Min(pool.BufferSize, data.Length - offset);
                PooledBuffer buffer = pool.Rent();
                data.AsSpan(offset, length).CopyTo(buffer.Span);
                BytesRead += length;
                yield return Extent.Data(offset, buffer, length);
            }
        }

        public JsonObject? DescribeAfterRun() => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
