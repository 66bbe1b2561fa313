using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Tasks.Dataflow;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Diagnostics;
using ForensicPipe.Core.Extents;

namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// Builds and runs the Dataflow graph of one job:
/// <code>
/// source pump ─► [inline stages] ─► stage block ─► [inline stages] ─► … ─► fan-out ─┬─► consumer block (sink)
///                                                                                  └─► consumer block (hasher), one per algorithm
///                                                                                      or per group of them (HashThreadPlan)
/// </code>
/// Every part that works on every byte (a verifying stage, a sink, a hasher) is an <see cref="ActionBlock{T}"/> with
/// <c>BoundedCapacity</c>, one message at a time and a thread of its own, so order is kept, memory is bounded and the
/// OS spreads the work over the cores. Cheap parts run inline, in whichever block (or the source pump) hands them an
/// extent: stages that say so (<see cref="IExtentStage.RunsInline"/>, the fill stage) and the fan-out. A block costs
/// a thread wake-up or two per buffer; on two cores, with three hashers busy, that was measurable (see
/// <see cref="IExtentStage.RunsInline"/>). The fan-out offers each extent to every consumer and waits until all have
/// taken it (a <see cref="BroadcastBlock{T}"/> would drop messages).
/// No part is ever allowed to fault: the first error is recorded, the job's token is cancelled, and from
/// then on every block drains its queue by releasing what it receives. That way completion always
/// reaches the end (no hang) and every pooled buffer comes back (a faulted Dataflow block would drop
/// its queued messages, and their buffers with them).
/// </summary>
public sealed class ExtentPipeline
{
    /// <summary>How long a cancelled job waits for the source pump before calling its read abandoned.</summary>
    private static readonly TimeSpan s_abandonGrace = TimeSpan.FromSeconds(1);

    private readonly IExtentSource _source;
    private readonly IReadOnlyList<IExtentStage> _stages;
    private readonly IReadOnlyList<IExtentConsumer> _consumers;
    private readonly BufferPool _pool;
    private readonly PipelineOptions _options;
    private readonly List<(string Name, Func<int> Depth)> _queues = [];
    private readonly List<DedicatedThreadScheduler> _threads = [];
    private readonly Stopwatch _clock = new();
    private CancellationTokenSource? _jobCancellation;
    private Exception? _fault;
    private string? _faultedBlock;
    private long _partitionBytes;
    private long _dataBytes;
    private long _absentBytes;
    private long _unreadableBytes;
    private long _extents;

    /// <summary>Prepares a run; nothing starts until <see cref="RunAsync"/>.</summary>
    public ExtentPipeline(IExtentSource source, IReadOnlyList<IExtentStage> stages, IReadOnlyList<IExtentConsumer> consumers,
        BufferPool pool, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(consumers);
        ArgumentNullException.ThrowIfNull(pool);
        if (consumers.Count == 0)
        {
            throw new ArgumentException("A pipeline needs at least one consumer.", nameof(consumers));
        }
        _source = source;
        _stages = stages;
        _consumers = consumers;
        _pool = pool;
        _options = options ?? new PipelineOptions();
    }

    /// <summary>The run ended while the source was still blocked in a read; its buffer comes back only
    /// if that read returns.</summary>
    public bool SourceAbandoned { get; private set; }

    /// <summary>Partition bytes emitted by the source so far (for progress).</summary>
    public long PartitionBytes => Interlocked.Read(ref _partitionBytes);

    /// <summary>Runs the graph to the end, a fault, or cancellation. Never throws for a fault inside the
    /// graph: the result carries it. The consumers' <see cref="IExtentConsumer.CompleteAsync"/> has run when
    /// this returns successfully.</summary>
    public async Task<PipelineResult> RunAsync(CancellationToken cancellationToken)
    {
        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _jobCancellation = jobCancellation;
        CancellationToken token = jobCancellation.Token;
        ActivityContext parent = Activity.Current?.Context ?? default;
        _clock.Restart();

        var consumerBlocks = new List<ActionBlock<Extent>>(_consumers.Count);
        var endings = new List<Task>();
        foreach (IExtentConsumer consumer in _consumers)
        {
            ActionBlock<Extent> block = CreateConsumerBlock(consumer, token);
            consumerBlocks.Add(block);
            endings.Add(CompleteConsumerAsync(block, consumer, StartSpan(PipelineTelemetry.BlockName(consumer), parent), token));
        }

        Link next = new FanOutLink(consumerBlocks, token);
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            IExtentStage stage = _stages[i];
            Activity? span = StartSpan($"stage {stage.Name}", parent);
            if (stage.RunsInline)
            {
                next = new InlineStageLink(this, stage, next, span, token);
                continue;
            }
            ActionBlock<Extent> block = CreateStageBlock(stage, next, token);
            endings.Add(CompleteStageAsync(block, stage, next, span, token));
            next = new BlockLink(block);
        }

        using (PipelineTelemetry.RegisterJob(ObserveQueues, ObserveThroughput))
        {
            Task pump = PumpAsync(next, StartSpan("source", parent), cancellationToken, token);
            try
            {
                await pump.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // A read that blocks in the kernel (standard input, a hung device) does not see the token.
                // A pump that only waits for room in the graph does, and ends at once: it gets a moment, so
                // that only a read truly stuck is reported as abandoned. Then stop waiting for it: the rest
                // of the graph drains and the job ends; if the read ever returns, the pump finds the chain
                // completed and releases what it read.
                await Task.WhenAny(pump, Task.Delay(s_abandonGrace, CancellationToken.None)).ConfigureAwait(false);
                SourceAbandoned = !pump.IsCompleted;
                await next.CompleteAsync().ConfigureAwait(false);
            }
            await Task.WhenAll(endings).ConfigureAwait(false);
        }
        foreach (DedicatedThreadScheduler thread in _threads)
        {
            thread.Dispose();
        }

        bool cancelled = cancellationToken.IsCancellationRequested && _fault is null;
        return new PipelineResult(_fault, _faultedBlock, cancelled,
            _partitionBytes, _dataBytes, _absentBytes, _unreadableBytes, _extents);
    }

    private async Task PumpAsync(Link first, Activity? span, CancellationToken callerToken, CancellationToken token)
    {
        try
        {
            await foreach (Extent extent in _source.ReadAsync(_pool, token).WithCancellation(token).ConfigureAwait(false))
            {
                Count(extent);
                await first.WriteAsync(extent, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The job is ending: a fault elsewhere or the caller's cancellation.
        }
        catch (Exception exception)
        {
            Fail(exception, "source");
        }
        finally
        {
            span?.SetTag("fpipe.bytes", _partitionBytes);
            span?.SetTag("fpipe.extents", _extents);
            EndSpan(span, callerToken.IsCancellationRequested ? "cancelled" : null);
            await first.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Count(Extent extent)
    {
        Interlocked.Add(ref _partitionBytes, extent.Length);
        _extents++;
        string kind;
        switch (extent.Kind)
        {
            case ExtentKind.Data:
                _dataBytes += extent.Length;
                kind = "data";
                break;
            case ExtentKind.Absent:
                _absentBytes += extent.Length;
                kind = "absent";
                break;
            default:
                _unreadableBytes += extent.Length;
                kind = "unreadable";
                break;
        }
        var tag = new KeyValuePair<string, object?>("fpipe.extent.kind", kind);
        PipelineTelemetry.SourceBytes.Add(extent.Length, tag);
        PipelineTelemetry.SourceExtents.Add(1, tag);
    }

    private ActionBlock<Extent> CreateStageBlock(IExtentStage stage, Link output, CancellationToken token)
    {
        var block = new ActionBlock<Extent>(extent => ProcessAsync(stage, extent, output, token),
            BlockOptions(_options.BlockCapacity, $"fpipe stage {stage.Name}"));
        _queues.Add(($"stage {stage.Name}", () => block.InputCount));
        return block;
    }

    /// <summary>One extent through one stage, on its block or inline; the input's reference is released here.</summary>
    private async Task ProcessAsync(IExtentStage stage, Extent extent, Link output, CancellationToken token)
    {
        try
        {
            if (!token.IsCancellationRequested)
            {
                await stage.ProcessAsync(extent, output, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Fail(exception, $"stage {stage.Name}");
        }
        finally
        {
            extent.Release();
        }
    }

    private async Task CompleteStageAsync(ActionBlock<Extent> block, IExtentStage stage, Link output, Activity? span, CancellationToken token)
    {
        await block.Completion.ConfigureAwait(false);
        await FinishStageAsync(stage, output, span, token).ConfigureAwait(false);
    }

    /// <summary>After a stage's last extent: its own completion, then the completion of what it feeds.</summary>
    private async Task FinishStageAsync(IExtentStage stage, Link output, Activity? span, CancellationToken token)
    {
        try
        {
            if (!token.IsCancellationRequested)
            {
                await stage.CompleteAsync(output, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Fail(exception, $"stage {stage.Name}");
        }
        finally
        {
            EndSpan(span, _faultedBlock == $"stage {stage.Name}" ? _fault?.Message : null);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private ActionBlock<Extent> CreateConsumerBlock(IExtentConsumer consumer, CancellationToken token)
    {
        var tag = new KeyValuePair<string, object?>("fpipe.consumer", consumer.Name);
        string name = PipelineTelemetry.BlockName(consumer);
        var block = new ActionBlock<Extent>(async extent =>
        {
            try
            {
                if (!token.IsCancellationRequested)
                {
                    await consumer.ConsumeAsync(extent, token).ConfigureAwait(false);
                    PipelineTelemetry.ConsumerBytes.Add(extent.Length, tag);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                Fail(exception, name);
            }
            finally
            {
                extent.Release();
            }
        }, BlockOptions(_options.ConsumerCapacity, $"fpipe {name}"));
        _queues.Add((name, () => block.InputCount));
        return block;
    }

    private async Task CompleteConsumerAsync(ActionBlock<Extent> block, IExtentConsumer consumer, Activity? span, CancellationToken token)
    {
        await block.Completion.ConfigureAwait(false);
        try
        {
            if (!token.IsCancellationRequested)
            {
                await consumer.CompleteAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Fail(exception, PipelineTelemetry.BlockName(consumer));
        }
        finally
        {
            EndSpan(span, _faultedBlock == PipelineTelemetry.BlockName(consumer) ? _fault?.Message : null);
        }
    }

    /// <summary>Options of every block: bounded, one message at a time, in order, on a thread of its own.</summary>
    private ExecutionDataflowBlockOptions BlockOptions(int capacity, string threadName)
    {
        var options = new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = capacity,
            MaxDegreeOfParallelism = 1,
            SingleProducerConstrained = true,
            EnsureOrdered = true,
        };
        var thread = new DedicatedThreadScheduler(threadName);
        _threads.Add(thread);
        options.TaskScheduler = thread;
        return options;
    }

    private void Fail(Exception exception, string block)
    {
        if (Interlocked.CompareExchange(ref _fault, exception, null) is null)
        {
            _faultedBlock = block;
            PipelineTelemetry.Errors.Add(1, new KeyValuePair<string, object?>("fpipe.block", block));
        }
        try
        {
            _jobCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<bool> SendOrReleaseAsync(ITargetBlock<Extent> target, Extent extent, CancellationToken token)
    {
        bool accepted;
        try
        {
            accepted = await target.SendAsync(extent, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            accepted = false;
        }
        if (!accepted)
        {
            extent.Release();
        }
        return accepted;
    }

    private static Activity? StartSpan(string name, ActivityContext parent)
    {
        Activity? previous = Activity.Current;
        Activity? span = PipelineTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal, parent);
        Activity.Current = previous;
        return span;
    }

    private static void EndSpan(Activity? span, string? error)
    {
        if (span is null)
        {
            return;
        }
        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }
        span.Stop();
    }

    private IEnumerable<Measurement<int>> ObserveQueues() =>
        _queues.Select(queue => new Measurement<int>(queue.Depth(), new KeyValuePair<string, object?>("fpipe.block", queue.Name)));

    private IEnumerable<Measurement<double>> ObserveThroughput()
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        yield return new Measurement<double>(seconds > 0 ? PartitionBytes / seconds : 0);
    }

    /// <summary>Where the source pump or a stage writes: the next part of the chain towards the consumers.</summary>
    private abstract class Link : IExtentWriter
    {
        public abstract ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken);

        /// <summary>No more extents will come: completes this part and, in turn, everything it feeds. Only the
        /// first call acts (the pump and an abandoned run may both call it).</summary>
        public abstract Task CompleteAsync();
    }

    /// <summary>A stage block: sends with back-pressure; its completion runs on when the block has drained
    /// (<see cref="CompleteStageAsync"/>).</summary>
    private sealed class BlockLink(ActionBlock<Extent> block) : Link
    {
        public override async ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken)
        {
            if (!await SendOrReleaseAsync(block, extent, cancellationToken).ConfigureAwait(false))
            {
                throw new OperationCanceledException("The pipeline is ending.", cancellationToken);
            }
        }

        public override Task CompleteAsync()
        {
            block.Complete();
            return Task.CompletedTask;
        }
    }

    /// <summary>A stage run inline, on the caller's thread, with the same error handling as a stage block.</summary>
    private sealed class InlineStageLink(ExtentPipeline pipeline, IExtentStage stage, Link output, Activity? span, CancellationToken token) : Link
    {
        private int _completed;

        public override ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken) =>
            new(pipeline.ProcessAsync(stage, extent, output, token));

        public override Task CompleteAsync() =>
            Interlocked.Exchange(ref _completed, 1) == 0 ? pipeline.FinishStageAsync(stage, output, span, token) : Task.CompletedTask;
    }

    /// <summary>The fan-out: one reference per consumer, offered to all at once, and waits until every
    /// consumer has taken it, so the slowest consumer sets the pace and no consumer misses an extent.</summary>
    private sealed class FanOutLink(List<ActionBlock<Extent>> consumers, CancellationToken token) : Link
    {
        public override async ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken)
        {
            try
            {
                if (token.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The pipeline is ending.", token);
                }
                var sends = new Task<bool>[consumers.Count];
                for (int i = 0; i < consumers.Count; i++)
                {
                    extent.Retain();
                    sends[i] = consumers[i].SendAsync(extent, token);
                }
                for (int i = 0; i < consumers.Count; i++)
                {
                    bool accepted;
                    try
                    {
                        accepted = await sends[i].ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        accepted = false;
                    }
                    if (!accepted)
                    {
                        extent.Release();
                    }
                }
            }
            finally
            {
                // The writer's reference (IExtentWriter.WriteAsync takes one over).
                extent.Release();
            }
        }

        public override Task CompleteAsync()
        {
            foreach (ActionBlock<Extent> consumer in consumers)
            {
                consumer.Complete();
            }
            return Task.CompletedTask;
        }
    }
}
