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
/// source pump ─► stage block ─► … ─► fan-out ─┬─► consumer block (sink)
///                                              └─► consumer block (hasher), one per algorithm
/// </code>
/// Every block is an <see cref="ActionBlock{T}"/> with <c>BoundedCapacity</c> and one message at a time,
/// so order is kept and memory is bounded. The fan-out is our own: it offers each extent to every
/// consumer and waits until all have taken it (a <see cref="BroadcastBlock{T}"/> would drop messages).
/// No block is ever allowed to fault: the first error is recorded, the job's token is cancelled, and from
/// then on every block drains its queue by releasing what it receives. That way completion always
/// reaches the end (no hang) and every pooled buffer comes back (a faulted Dataflow block would drop
/// its queued messages, and their buffers with them).
/// </summary>
public sealed class ExtentPipeline
{
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
            endings.Add(CompleteConsumerAsync(block, consumer, StartSpan($"sink {consumer.Name}", parent), token));
        }

        ActionBlock<Extent> fanOut = CreateFanOutBlock(consumerBlocks, token);
        endings.Add(CompleteFanOutAsync(fanOut, consumerBlocks));

        ActionBlock<Extent> next = fanOut;
        for (int i = _stages.Count - 1; i >= 0; i--)
        {
            IExtentStage stage = _stages[i];
            var writer = new BlockWriter(next);
            ActionBlock<Extent> block = CreateStageBlock(stage, writer, token);
            endings.Add(CompleteStageAsync(block, stage, writer, next, StartSpan($"stage {stage.Name}", parent), token));
            next = block;
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
                // Stop waiting for it: the rest of the graph drains and the job ends; if the read ever
                // returns, the pump finds the first block completed and releases what it read.
                SourceAbandoned = !pump.IsCompleted;
                next.Complete();
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

    private async Task PumpAsync(ActionBlock<Extent> first, Activity? span, CancellationToken callerToken, CancellationToken token)
    {
        try
        {
            await foreach (Extent extent in _source.ReadAsync(_pool, token).WithCancellation(token).ConfigureAwait(false))
            {
                Count(extent);
                if (!await SendOrReleaseAsync(first, extent, token).ConfigureAwait(false))
                {
                    break;
                }
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
            first.Complete();
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

    private ActionBlock<Extent> CreateStageBlock(IExtentStage stage, BlockWriter writer, CancellationToken token)
    {
        var block = new ActionBlock<Extent>(async extent =>
        {
            try
            {
                if (!token.IsCancellationRequested)
                {
                    await stage.ProcessAsync(extent, writer, token).ConfigureAwait(false);
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
        }, BlockOptions(_options.BlockCapacity, $"fpipe stage {stage.Name}"));
        _queues.Add(($"stage {stage.Name}", () => block.InputCount));
        return block;
    }

    private async Task CompleteStageAsync(ActionBlock<Extent> block, IExtentStage stage, BlockWriter writer,
        ActionBlock<Extent> next, Activity? span, CancellationToken token)
    {
        await block.Completion.ConfigureAwait(false);
        try
        {
            if (!token.IsCancellationRequested)
            {
                await stage.CompleteAsync(writer, token).ConfigureAwait(false);
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
            next.Complete();
        }
    }

    private ActionBlock<Extent> CreateFanOutBlock(List<ActionBlock<Extent>> targets, CancellationToken token)
    {
        var sends = new Task<bool>[targets.Count];
        var block = new ActionBlock<Extent>(async extent =>
        {
            try
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }
                // One reference per target; the fan-out's own is dropped in finally.
                for (int i = 0; i < targets.Count; i++)
                {
                    extent.Retain();
                    sends[i] = targets[i].SendAsync(extent, token);
                }
                for (int i = 0; i < targets.Count; i++)
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
                extent.Release();
            }
        }, BlockOptions(_options.BlockCapacity, threadName: null));
        _queues.Add(("fan-out", () => block.InputCount));
        return block;
    }

    private static async Task CompleteFanOutAsync(ActionBlock<Extent> fanOut, List<ActionBlock<Extent>> targets)
    {
        await fanOut.Completion.ConfigureAwait(false);
        foreach (ActionBlock<Extent> target in targets)
        {
            target.Complete();
        }
    }

    private ActionBlock<Extent> CreateConsumerBlock(IExtentConsumer consumer, CancellationToken token)
    {
        var tag = new KeyValuePair<string, object?>("fpipe.consumer", consumer.Name);
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
                Fail(exception, $"sink {consumer.Name}");
            }
            finally
            {
                extent.Release();
            }
        }, BlockOptions(_options.ConsumerCapacity, $"fpipe sink {consumer.Name}"));
        _queues.Add(($"sink {consumer.Name}", () => block.InputCount));
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
            Fail(exception, $"sink {consumer.Name}");
        }
        finally
        {
            EndSpan(span, _faultedBlock == $"sink {consumer.Name}" ? _fault?.Message : null);
        }
    }

    /// <summary>Options of every block: bounded, one message at a time, in order; with a thread of its own
    /// when <paramref name="threadName"/> is given (stages and consumers), else on the thread pool.</summary>
    private ExecutionDataflowBlockOptions BlockOptions(int capacity, string? threadName)
    {
        var options = new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = capacity,
            MaxDegreeOfParallelism = 1,
            SingleProducerConstrained = true,
            EnsureOrdered = true,
        };
        if (threadName is not null)
        {
            var thread = new DedicatedThreadScheduler(threadName);
            _threads.Add(thread);
            options.TaskScheduler = thread;
        }
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

    /// <summary>The writer a stage sends to: the next block, with back-pressure.</summary>
    private sealed class BlockWriter(ITargetBlock<Extent> next) : IExtentWriter
    {
        public async ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken)
        {
            if (!await SendOrReleaseAsync(next, extent, cancellationToken).ConfigureAwait(false))
            {
                throw new OperationCanceledException("The pipeline is ending.", cancellationToken);
            }
        }
    }
}
