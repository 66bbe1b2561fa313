using ForensicPipe.Core.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// Wires the OpenTelemetry SDK to the library's <see cref="PipelineTelemetry"/> source and meter: our
/// console exporters (standard error) and/or OTLP. Disposing flushes and shuts the exporters down.
/// </summary>
internal sealed class TelemetrySetup : IDisposable
{
    /// <summary>How often metrics are exported while a job runs.</summary>
    private const int MetricIntervalMilliseconds = 1000;

    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;

    private TelemetrySetup(TracerProvider? tracing, MeterProvider? metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    public static TelemetrySetup Create(bool console, Uri? otlpEndpoint)
    {
        if (!console && otlpEndpoint is null)
        {
            return new TelemetrySetup(null, null);
        }
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("fpipe",
            serviceVersion: typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString(3));
        TracerProviderBuilder tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(PipelineTelemetry.Name);
        MeterProviderBuilder metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(PipelineTelemetry.Name);
        if (console)
        {
            tracing.AddProcessor(new SimpleActivityExportProcessor(new ConsoleActivityExporter(Console.Error)));
            metrics.AddReader(new PeriodicExportingMetricReader(new ConsoleMetricExporter(Console.Error), MetricIntervalMilliseconds));
        }
        if (otlpEndpoint is not null)
        {
            tracing.AddOtlpExporter(options => Configure(options, otlpEndpoint));
            metrics.AddOtlpExporter((options, reader) =>
            {
                Configure(options, otlpEndpoint);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = MetricIntervalMilliseconds;
            });
        }
        return new TelemetrySetup(tracing.Build(), metrics.Build());
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.Protocol = OtlpExportProtocol.Grpc;
        options.TimeoutMilliseconds = 2000;
    }

    public void Dispose()
    {
        _metrics?.ForceFlush(MetricIntervalMilliseconds);
        _metrics?.Dispose();
        _tracing?.Dispose();
    }
}
