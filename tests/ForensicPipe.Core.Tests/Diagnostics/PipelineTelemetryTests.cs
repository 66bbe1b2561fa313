using System.Diagnostics;
using ForensicPipe.Core.Diagnostics;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ForensicPipe.Core.Tests.Diagnostics;

/// <summary>The meter is process-wide: no other job may run while these count its measurements.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (not parallel)";
}

/// <summary>Spans and metrics of a real job, taken in-process with the OpenTelemetry in-memory exporter.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PipelineTelemetryTests
{
    private const int Size = 300_001;

    [Fact]
    public async Task JobRunner_HashedCopy_ExportsJobSpanBlockSpansAndMetricsWithUnits()
    {
        using var directory = new TempDirectory();
        await File.WriteAllBytesAsync(directory.File("in.bin"), RandomBytes(Size));
        var job = new JobSpec
        {
            Source = new FileSourceSpec { Path = "in.bin" },
            Stages = [new HashStageSpec { Algorithms = ["md5", "sha256"] }],
            Sinks = [new RawFileSinkSpec { Path = "out.raw" }],
            BufferSize = 65536,
        };
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(PipelineTelemetry.Name).AddInMemoryExporter(spans).Build();
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PipelineTelemetry.Name).AddInMemoryExporter(metrics).Build();

        JobResult result = await new JobRunner(job, new JobContext(directory.Path, "telemetry-test", directory.File("r.json")), new JobComponents())
            .RunAsync(default);
        Assert.True(meters.ForceFlush(10_000));
        Assert.True(tracing.ForceFlush(10_000));

        Assert.Equal(JobStatus.Succeeded, result.Status);
        Activity jobSpan = Assert.Single(spans, span => span.DisplayName == "job" && Equals(span.GetTagItem("fpipe.job"), "telemetry-test"));
        List<string> children = [.. spans.Where(span => span.ParentSpanId == jobSpan.SpanId).Select(span => span.DisplayName)];
        Assert.Contains("source", children);
        Assert.Contains("sink raw-file", children);
        // Hashers are hash blocks, one per algorithm or one per group of algorithms sharing a thread.
        Assert.Contains(children, name => name.StartsWith("hash ", StringComparison.Ordinal) && name.Contains("md5", StringComparison.Ordinal));
        Assert.DoesNotContain(children, name => name.StartsWith("sink md5", StringComparison.Ordinal) || name.StartsWith("sink sha", StringComparison.Ordinal));
        Assert.All(spans.Where(span => span.ParentSpanId == jobSpan.SpanId), span => Assert.Equal(jobSpan.TraceId, span.TraceId));

        Assert.Equal(Size, Sum(metrics, "fpipe.source.bytes", "By"));
        Assert.True(Sum(metrics, "fpipe.source.extents", "{extent}") >= 1);
        foreach (string consumer in new[] { "md5", "sha256", "raw-file" })
        {
            Assert.Equal(Size, Sum(metrics, "fpipe.consumer.bytes", "By", ("fpipe.consumer", consumer)));
        }
        Assert.Equal(1, Sum(metrics, "fpipe.jobs", "{job}", ("fpipe.outcome", "succeeded")));
        MetricSnapshot duration = Last(metrics, "fpipe.job.duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        Assert.Equal(1, duration.MetricPoints.Sum(point => point.GetHistogramCount()));
    }

    [Fact]
    public async Task BlockName_HasherAndSink_NamedByKind()
    {
        await using var md5 = new Core.Stages.Hashing.HashConsumer("md5");
        Assert.Equal("hash md5", PipelineTelemetry.BlockName(md5));
        Assert.Equal("sink null", PipelineTelemetry.BlockName(new Core.Sinks.NullSink()));
    }

    private static MetricSnapshot Last(List<MetricSnapshot> metrics, string name) =>
        metrics.LastOrDefault(metric => metric.Name == name) ?? throw new Xunit.Sdk.XunitException($"no metric {name} among {string.Join(", ", metrics.Select(m => m.Name).Distinct())}");

    /// <summary>The cumulative sum of the last export of <paramref name="name"/>, over the points whose tags include <paramref name="tag"/>.</summary>
    private static long Sum(List<MetricSnapshot> metrics, string name, string unit, (string Key, string Value)? tag = null)
    {
        MetricSnapshot metric = Last(metrics, name);
        Assert.Equal(unit, metric.Unit);
        long sum = 0;
        foreach (MetricPoint point in metric.MetricPoints)
        {
            bool match = tag is null;
            foreach (KeyValuePair<string, object?> pair in point.Tags)
            {
                match |= tag is { } wanted && pair.Key == wanted.Key && Equals(pair.Value, wanted.Value);
            }
            if (match)
            {
                sum += point.GetSumLong();
            }
        }
        return sum;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(5).NextBytes(bytes);
        return bytes;
    }
}
