using System.Collections.Concurrent;

namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// Runs the tasks of one Dataflow block on one thread of its own. Hashers and sinks are long CPU- or
/// I/O-bound loops; on the shared thread pool, with two cores, several of them were seen queued behind one
/// worker while the other core idled (runs taking the sum of their times instead of the longest). With a
/// thread each, the OS scheduler spreads them over the cores.
/// </summary>
internal sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread _thread;

    public DedicatedThreadScheduler(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _tasks];

    private void Run()
    {
        foreach (Task task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    /// <summary>Lets the thread finish the queued tasks and end; call after the block has completed.</summary>
    public void Dispose()
    {
        _tasks.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        _tasks.Dispose();
    }
}
