using System.Diagnostics;
using System.Diagnostics.Metrics;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Core.Diagnostics;

/// <summary>
/// The library's only telemetry surface: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// created once. The OpenTelemetry SDK is wired at the edge (the CLI) by these names.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "ForensicPipe.Pipeline";

    private static readonly string s_version = typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Spans: one per job (<c>job</c>) and one per block (<c>source</c>, <c>stage NAME</c>, <c>sink NAME</c>,
    /// <c>hash NAME</c>; see <see cref="BlockName"/>).</summary>
    public static readonly ActivitySource ActivitySource = new(Name, s_version);

    /// <summary>Instruments below.</summary>
    public static readonly Meter Meter = new(Name, s_version);

    /// <summary>Partition bytes emitted by the source, tagged by extent kind.</summary>
    public static readonly Counter<long> SourceBytes =
        Meter.CreateCounter<long>("fpipe.source.bytes", "By", "Partition bytes emitted by the source, by extent kind.");

    /// <summary>Extents emitted by the source, tagged by kind.</summary>
    public static readonly Counter<long> SourceExtents =
        Meter.CreateCounter<long>("fpipe.source.extents", "{extent}", "Extents emitted by the source, by kind.");

    /// <summary>Bytes taken by each consumer (sink or hasher), tagged with its name; hashers that share a thread
    /// are counted under the group's name (<c>sha1+sha256</c>) and each under its own.</summary>
    public static readonly Counter<long> ConsumerBytes =
        Meter.CreateCounter<long>("fpipe.consumer.bytes", "By", "Bytes taken by each sink or hasher.");

    /// <summary>Errors, tagged with the block that raised them.</summary>
    public static readonly Counter<long> Errors =
        Meter.CreateCounter<long>("fpipe.errors", "{error}", "Errors that ended a job or were recorded, by block.");

    /// <summary>Jobs finished, tagged with the outcome.</summary>
    public static readonly Counter<long> Jobs =
        Meter.CreateCounter<long>("fpipe.jobs", "{job}", "Jobs finished, by outcome.");

    /// <summary>Wall time of finished jobs.</summary>
    public static readonly Histogram<double> JobDuration =
        Meter.CreateHistogram<double>("fpipe.job.duration", "s", "Wall time of finished jobs.");

    /// <summary>
    /// The name of a consumer's block in spans, queue-depth tags, thread names and errors: <c>hash md5</c> (or
    /// <c>hash sha1+sha256</c> for hashers sharing a thread) for a hasher, <c>sink NAME</c> for an output.
    /// The pipeline runs both as consumers of the final stream, but only sinks write anything.
    /// </summary>
    /// <param name="consumer">A consumer of the pipeline.</param>
    /// <returns>The block's name.</returns>
    public static string BlockName(IExtentConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return consumer is HashConsumer or HashGroupConsumer ? $"hash {consumer.Name}" : $"sink {consumer.Name}";
    }

    private static readonly List<Func<IEnumerable<Measurement<int>>>> s_queueDepthProviders = [];
    private static readonly List<Func<IEnumerable<Measurement<double>>>> s_throughputProviders = [];
    private static readonly Lock s_lock = new();

    static PipelineTelemetry()
    {
        Meter.CreateObservableGauge("fpipe.queue.depth", ObserveQueueDepth, "{extent}",
            "Extents waiting in each block's input queue.");
        Meter.CreateObservableGauge("fpipe.throughput", ObserveThroughput, "By/s",
            "Partition bytes per second emitted by the source of each running job, averaged since it started.");
    }

    internal static IDisposable RegisterJob(Func<IEnumerable<Measurement<int>>> queueDepth, Func<IEnumerable<Measurement<double>>> throughput)
    {
        lock (s_lock)
        {
            s_queueDepthProviders.Add(queueDepth);
            s_throughputProviders.Add(throughput);
        }
        return new Registration(queueDepth, throughput);
    }

    private static List<Measurement<int>> ObserveQueueDepth()
    {
        lock (s_lock)
        {
            return [.. s_queueDepthProviders.SelectMany(provider => provider())];
        }
    }

    private static List<Measurement<double>> ObserveThroughput()
    {
        lock (s_lock)
        {
            return [.. s_throughputProviders.SelectMany(provider => provider())];
        }
    }

    private sealed class Registration(Func<IEnumerable<Measurement<int>>> queueDepth, Func<IEnumerable<Measurement<double>>> throughput) : IDisposable
    {
        public void Dispose()
        {
            lock (s_lock)
            {
                s_queueDepthProviders.Remove(queueDepth);
                s_throughputProviders.Remove(throughput);
            }
        }
    }
}
