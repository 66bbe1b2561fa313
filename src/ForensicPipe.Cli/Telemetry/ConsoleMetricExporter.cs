using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// Prints metric points, one line each, to a text writer (standard error). Our own because the
/// OpenTelemetry.Exporter.Console package is not in this machine's NuGet registry.
/// </summary>
internal sealed class ConsoleMetricExporter(TextWriter output) : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (Metric metric in batch)
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                var tags = new List<string>();
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    tags.Add($"{tag.Key}={tag.Value}");
                }
                string value = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble().ToString("G6", CultureInfo.InvariantCulture),
                    MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble().ToString("G6", CultureInfo.InvariantCulture),
                    MetricType.Histogram => string.Create(CultureInfo.InvariantCulture,
                        $"count={point.GetHistogramCount()} sum={point.GetHistogramSum():G6}"),
                    _ => metric.MetricType.ToString(),
                };
                lock (output)
                {
                    output.WriteLine($"[metric] {metric.Name} {value} {metric.Unit} {string.Join(" ", tags)}".TrimEnd());
                }
            }
        }
        return ExportResult.Success;
    }
}
