using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Pipeline;

public class ExtentPipelineTests
{
    private const int BufferSize = 4096;
    private static readonly TimeSpan s_noHang = TimeSpan.FromSeconds(30);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static async Task<PipelineResult> RunAsync(IExtentSource source, IReadOnlyList<IExtentStage> stages,
        IReadOnlyList<IExtentConsumer> consumers, BufferPool pool, CancellationToken cancellationToken = default)
    {
        await source.OpenAsync(cancellationToken);
        var pipeline = new ExtentPipeline(source, stages, consumers, pool, new PipelineOptions { BlockCapacity = 2, ConsumerCapacity = 2 });
        return await pipeline.RunAsync(cancellationToken).WaitAsync(s_noHang, CancellationToken.None);
    }

    [Fact]
    public async Task FanOut_ConsumersOfDifferentSpeeds_EachSeesEveryExtentInOrder()
    {
        byte[] content = RandomBytes(200 * 1000);
        using var pool = new BufferPool(BufferSize);
        var source = new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000));
        var fast = new RecordingConsumer("fast");
        var slow = new RecordingConsumer("slow", delayMs: 1);
        var hasher = new HashConsumer("sha256");

        PipelineResult result = await RunAsync(source, [], [fast, slow, hasher], pool);

        Assert.True(result.Succeeded, result.Fault?.ToString());
        Assert.Equal(content, fast.Bytes);
        Assert.Equal(content, slow.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), hasher.Digest);
        Assert.Equal(200, slow.Seen.Count);
        Assert.True(slow.Seen.Select(s => s.Offset).SequenceEqual(Enumerable.Range(0, 200).Select(i => i * 1000L)));
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_AbsentExtentsWithoutFill_ReachConsumersAsZeros()
    {
        byte[] content = RandomBytes(5000);
        using var pool = new BufferPool(BufferSize);
        List<(ExtentKind, long)> script = [(ExtentKind.Data, 1000), (ExtentKind.Absent, 3000), (ExtentKind.Data, 1000)];
        var recorder = new RecordingConsumer();
        var hasher = new HashConsumer("md5");

        PipelineResult result = await RunAsync(new ScriptedSource(content, script), [], [recorder, hasher], pool);

        Assert.True(result.Succeeded);
        byte[] expected = [.. content[..1000], .. new byte[3000], .. content[4000..]];
        Assert.Equal(expected, recorder.Bytes);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(expected)), hasher.Digest);
        Assert.Equal(3000, result.AbsentBytes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 25)]
    [InlineData(1, 0)]
    [InlineData(1, 49)]
    [InlineData(2, 10)]
    public async Task Pipeline_ConsumerThrows_FailsWithMessageWithoutHangAndPoolBalanced(int failingConsumer, int atExtent)
    {
        byte[] content = RandomBytes(50 * 1000);
        using var pool = new BufferPool(BufferSize);
        var consumers = new List<IExtentConsumer>
        {
            new RecordingConsumer("a", throwAtExtent: failingConsumer == 0 ? atExtent : -1),
            new RecordingConsumer("b", throwAtExtent: failingConsumer == 1 ? atExtent : -1, delayMs: 1),
            new RecordingConsumer("c", throwAtExtent: failingConsumer == 2 ? atExtent : -1),
            new HashConsumer("sha1"),
        };

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)), [], consumers, pool);

        Assert.False(result.Succeeded);
        Assert.IsType<IOException>(result.Fault);
        Assert.Contains("injected failure", result.Fault!.Message);
        Assert.Equal($"sink {"abc"[failingConsumer]}", result.FaultedBlock);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_ConsumerFailsWhileTheSourceWaitsForRoom_SourceIsNotReportedAbandoned(bool withInlineStage)
    {
        byte[] content = RandomBytes(400 * 1000);
        using var pool = new BufferPool(BufferSize);
        var source = new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000));
        await source.OpenAsync(CancellationToken.None);
        IExtentStage[] stages = withInlineStage ? [new FillStage(FillPattern.Zero, pool)] : [];
        var pipeline = new ExtentPipeline(source, stages,
            [new RecordingConsumer("failing", throwAtExtent: 50, delayMs: 1), new RecordingConsumer("slow", delayMs: 2)],
            pool, new PipelineOptions { BlockCapacity = 2, ConsumerCapacity = 2 });

        PipelineResult result = await pipeline.RunAsync(CancellationToken.None).WaitAsync(s_noHang, CancellationToken.None);

        // The pump was waiting for room in the consumers, not blocked in a read: the report must not say
        // that a read was abandoned.
        Assert.Equal("sink failing", result.FaultedBlock);
        Assert.False(pipeline.SourceAbandoned);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_ConsumerThrowsOnCompletion_Fails()
    {
        byte[] content = RandomBytes(10 * 1000);
        using var pool = new BufferPool(BufferSize);
        var failing = new RecordingConsumer("late", throwOnComplete: true);

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)), [], [failing, new HashConsumer("md5")], pool);

        Assert.False(result.Succeeded);
        Assert.Equal("sink late", result.FaultedBlock);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_HasherFaults_FailsWithoutHang()
    {
        byte[] content = RandomBytes(40 * 1000);
        using var pool = new BufferPool(BufferSize);
        var hasher = new HashConsumer("sha512");
        await hasher.DisposeAsync(); // a disposed IncrementalHash throws on the first extent

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)), [],
            [new RecordingConsumer("sink", delayMs: 1), hasher], pool);

        Assert.False(result.Succeeded);
        Assert.Equal("hash sha512", result.FaultedBlock);
        Assert.IsType<ObjectDisposedException>(result.Fault);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_SourceThrows_FailsAndConsumersAreNotCompleted()
    {
        byte[] content = RandomBytes(30 * 1000);
        using var pool = new BufferPool(BufferSize);
        var recorder = new RecordingConsumer();

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000), throwAfter: 17), [], [recorder], pool);

        Assert.Equal("source", result.FaultedBlock);
        Assert.Contains("injected source failure at byte 17000", result.Fault!.Message);
        Assert.False(recorder.Completed);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_StageThrows_FailsWithStageName(bool inline)
    {
        byte[] content = RandomBytes(108_000);
        using var pool = new BufferPool(BufferSize);
        List<(ExtentKind, long)> script = [(ExtentKind.Data, 4000), (ExtentKind.Absent, 100_000), (ExtentKind.Data, 4000)];
        var throwing = new ThrowingStage(throwAt: 1, inline);
        var recorder = new RecordingConsumer();

        PipelineResult result = await RunAsync(new ScriptedSource(content, script), [new FillStage(FillPattern.Zero, pool), throwing],
            [recorder], pool);

        Assert.True(result.FaultedBlock == "stage throwing", $"{result.FaultedBlock}: {result.Fault}");
        Assert.IsType<InvalidDataException>(result.Fault);
        Assert.False(recorder.Completed);
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_StageThrowsOnCompletion_FailsWithStageNameAndConsumersAreNotCompleted(bool inline)
    {
        byte[] content = RandomBytes(20_000);
        using var pool = new BufferPool(BufferSize);
        var recorder = new RecordingConsumer();

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)),
            [new ThrowingStage(throwAt: -1, inline, throwOnComplete: true)], [recorder, new HashConsumer("md5")], pool);

        Assert.True(result.FaultedBlock == "stage throwing", $"{result.FaultedBlock}: {result.Fault}");
        Assert.Contains("injected completion failure", result.Fault!.Message);
        Assert.False(recorder.Completed);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_InlineAndBlockStagesMixed_EveryConsumerSeesTheFilledStreamInOrder()
    {
        byte[] content = RandomBytes(300_000);
        using var pool = new BufferPool(BufferSize);
        List<(ExtentKind, long)> script =
            [.. ScriptedSource.DataChunks(50_000, 1000), (ExtentKind.Absent, 150_000), (ExtentKind.Unreadable, 4096), .. ScriptedSource.DataChunks(95_904, 4096)];
        var slow = new RecordingConsumer("slow", delayMs: 1);
        var hasher = new HashConsumer("sha1");
        FillPattern pattern = FillPattern.DeadBeef;
        IExtentStage[] stages = [new ThrowingStage(throwAt: -1, inline: true), new FillStage(pattern, pool), new ThrowingStage(throwAt: -1, inline: false)];

        PipelineResult result = await RunAsync(new ScriptedSource(content, script), stages, [slow, hasher], pool);

        Assert.True(result.Succeeded, result.Fault?.ToString());
        byte[] expected = [.. content];
        for (long offset = 50_000; offset < 204_096; offset++)
        {
            expected[offset] = (byte)(0xdeadbeef >> (int)(24 - offset % 4 * 8));
        }
        Assert.Equal(expected, slow.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(expected)), hasher.Digest);
        Assert.True(slow.Completed);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_Cancelled_EndsPromptlyAsCancelledWithPoolBalanced()
    {
        byte[] content = RandomBytes(400 * 1000);
        using var pool = new BufferPool(BufferSize);
        using var cancellation = new CancellationTokenSource();
        var slow = new RecordingConsumer("slow", delayMs: 5);
        cancellation.CancelAfter(100);

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)), [],
            [slow, new HashConsumer("md5")], pool, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Null(result.Fault);
        Assert.False(slow.Completed);
        Assert.True(slow.Seen.Count < 400);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task Pipeline_ManyExtents_PoolNeverGrowsBeyondTheBlockCapacities()
    {
        byte[] content = RandomBytes(4096 * 1000);
        using var pool = new BufferPool(BufferSize);

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 4096)), [],
            [new RecordingConsumer("a", delayMs: 0), new HashConsumer("md5"), new HashConsumer("sha256")], pool);

        Assert.True(result.Succeeded);
        // 1000 extents went through; the graph holds at most a few per block (capacity 2, 5 blocks), and
        // consumers share buffers by reference.
        Assert.InRange(pool.Created, 1, 20);
        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>Passes extents through; throws at the given extent (-1: never) or on completion.</summary>
    private sealed class ThrowingStage(int throwAt, bool inline = false, bool throwOnComplete = false) : IExtentStage
    {
        private int _seen;

        public string Name => "throwing";

        public bool RunsInline => inline;

        public async ValueTask ProcessAsync(Extent extent, IExtentWriter output, CancellationToken cancellationToken)
        {
            if (_seen++ == throwAt)
            {
                throw new InvalidDataException("injected stage failure");
            }
            extent.Retain();
            await output.WriteAsync(extent, cancellationToken);
        }

        public ValueTask CompleteAsync(IExtentWriter output, CancellationToken cancellationToken) =>
            throwOnComplete ? throw new InvalidDataException("injected completion failure") : ValueTask.CompletedTask;

        public System.Text.Json.Nodes.JsonObject Describe() => [];
    }
}
