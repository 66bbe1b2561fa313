using System.Diagnostics;
using ForensicPipe.Core.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// Wires the OpenTelemetry SDK to the library's <see cref="PipelineTelemetry"/> source and meter: the
/// console exporter (on standard error) and/or OTLP. Disposing flushes and shuts the exporters down.
/// </summary>
/// <remarks>
/// The console exporter writes to standard output (<c>Console.WriteLine</c>) or to the trace listeners,
/// and has no option for standard error. Standard output carries data (<c>info --json</c>, <c>schema</c>,
/// an image written to <c>-</c>), so the exporter is pointed at the trace listeners and a listener on
/// standard error is added for the life of this object.
/// </remarks>
internal sealed class TelemetrySetup : IDisposable
{
    /// <summary>How often metrics are exported while a job runs.</summary>
    private const int MetricIntervalMilliseconds = 1000;

    /// <summary>How long an OTLP export may take before it is given up; a collector that does not answer
    /// delays the end of a job by at most this much per signal.</summary>
    private const int OtlpTimeoutMilliseconds = 2000;

    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;
    private readonly TraceListener? _standardError;

    private TelemetrySetup(TracerProvider? tracing, MeterProvider? metrics, TraceListener? standardError)
    {
        _tracing = tracing;
        _metrics = metrics;
        _standardError = standardError;
    }

    /// <summary>Builds the providers <paramref name="settings"/> asks for; none when it asks for nothing.</summary>
    public static TelemetrySetup Create(TelemetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Console && settings.OtlpEndpoint is null)
        {
            return new TelemetrySetup(null, null, null);
        }
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName,
            serviceVersion: typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString(3));
        TracerProviderBuilder tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(PipelineTelemetry.Name);
        MeterProviderBuilder metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(PipelineTelemetry.Name);
        TraceListener? standardError = null;
        if (settings.Console)
        {
            standardError = new StandardErrorTraceListener();
            Trace.Listeners.Add(standardError);
            tracing.AddConsoleExporter(options => options.Targets = ConsoleExporterOutputTargets.Debug);
            metrics.AddConsoleExporter((options, reader) =>
            {
                options.Targets = ConsoleExporterOutputTargets.Debug;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = MetricIntervalMilliseconds;
                // Each block shows what changed since the previous one; cumulative points would print every
                // counter again at each interval, at the flush and at the shutdown.
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Delta;
            });
        }
        if (settings.OtlpEndpoint is not null)
        {
            tracing.AddOtlpExporter(options => Configure(options, settings, "v1/traces"));
            metrics.AddOtlpExporter((options, reader) =>
            {
                Configure(options, settings, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = MetricIntervalMilliseconds;
            });
        }
        return new TelemetrySetup(tracing.Build(), metrics.Build(), standardError);
    }

    private static void Configure(OtlpExporterOptions options, TelemetrySettings settings, string signalPath)
    {
        options.Endpoint = settings.SignalEndpoint(signalPath);
        options.Protocol = settings.Protocol;
        options.Headers = settings.Headers;
        options.TimeoutMilliseconds = OtlpTimeoutMilliseconds;
    }

    /// <summary>Ends the spans' export and takes the last metric collection (once, at shutdown).</summary>
    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
        if (_standardError is not null)
        {
            Trace.Listeners.Remove(_standardError);
            _standardError.Dispose();
        }
    }
}
