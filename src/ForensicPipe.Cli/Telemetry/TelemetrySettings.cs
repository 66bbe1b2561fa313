using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using OpenTelemetry.Exporter;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// The exporters of one run: the command line first, then the job file, then the standard OpenTelemetry
/// environment variables (https://opentelemetry.io/docs/specs/otel/protocol/exporter/).
/// </summary>
/// <param name="Console">Spans and metrics on standard error.</param>
/// <param name="OtlpEndpoint">OTLP endpoint (for http/protobuf the base URL: <c>v1/traces</c> and
/// <c>v1/metrics</c> are appended), or null for no OTLP export.</param>
/// <param name="Protocol">OTLP transport.</param>
/// <param name="Headers">OTLP request headers, <c>key=value</c> pairs separated by commas, or null.</param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
internal sealed record TelemetrySettings(bool Console, Uri? OtlpEndpoint, OtlpExportProtocol Protocol, string? Headers, string ServiceName)
{
    /// <summary>Base URL of the OTLP endpoint when neither the command line nor the job names one.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>Headers sent with every OTLP request.</summary>
    public const string HeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";

    /// <summary>The service name (default <see cref="DefaultServiceName"/>).</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>Protocol name of OTLP over gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>Protocol name of OTLP over HTTP with protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Service name when <see cref="ServiceNameVariable"/> is unset.</summary>
    public const string DefaultServiceName = "fpipe";

    /// <summary>Combines the command line, the job file and the environment.</summary>
    /// <exception cref="JobValidationException">An environment variable has a value that cannot be used.</exception>
    public static TelemetrySettings Resolve(TelemetryRequest commandLine, TelemetrySpec? job, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(environment);
        Uri? endpoint = commandLine.OtlpEndpoint ?? job?.OtlpEndpoint;
        if (endpoint is null && NonEmpty(environment(EndpointVariable)) is string fromEnvironment)
        {
            endpoint = TryParseEndpoint(fromEnvironment, out Uri? parsed) ? parsed
                : throw new JobValidationException("(environment)", EndpointVariable, $"'{fromEnvironment}' is not an absolute http:// or https:// URL");
        }
        string protocolName = commandLine.OtlpProtocol ?? NonEmpty(environment(ProtocolVariable)) ?? Grpc;
        OtlpExportProtocol protocol = protocolName switch
        {
            Grpc => OtlpExportProtocol.Grpc,
            HttpProtobuf => OtlpExportProtocol.HttpProtobuf,
            _ => throw new JobValidationException("(environment)", ProtocolVariable, $"'{protocolName}' is not '{Grpc}' or '{HttpProtobuf}'"),
        };
        string? headers = NonEmpty(environment(HeadersVariable));
        if (headers is not null && !ValidHeaders(headers))
        {
            throw new JobValidationException("(environment)", HeadersVariable, "is not a comma-separated list of key=value pairs");
        }
        return new TelemetrySettings(commandLine.Console || job?.Console == true, endpoint, protocol, headers,
            NonEmpty(environment(ServiceNameVariable)) ?? DefaultServiceName);
    }

    /// <summary>An absolute http:// or https:// URL.</summary>
    public static bool TryParseEndpoint(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? endpoint) =>
        Uri.TryCreate(text, UriKind.Absolute, out endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps);

    /// <summary>The URL a signal is sent to: the endpoint itself for gRPC; for http/protobuf the endpoint is the
    /// base and <paramref name="signalPath"/> (<c>v1/traces</c>, <c>v1/metrics</c>) is appended to its path.</summary>
    public Uri SignalEndpoint(string signalPath)
    {
        if (OtlpEndpoint is null)
        {
            throw new InvalidOperationException("No OTLP endpoint.");
        }
        if (Protocol == OtlpExportProtocol.Grpc)
        {
            return OtlpEndpoint;
        }
        var builder = new UriBuilder(OtlpEndpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + signalPath;
        return builder.Uri;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool ValidHeaders(string headers) =>
        headers.Split(',', StringSplitOptions.RemoveEmptyEntries).All(pair => pair.IndexOf('=', StringComparison.Ordinal) > 0);
}
