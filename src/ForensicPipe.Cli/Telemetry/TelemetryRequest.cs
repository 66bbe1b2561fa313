namespace ForensicPipe.Cli.Telemetry;

/// <summary>The telemetry the command line asks for.</summary>
/// <param name="Console">Spans and metrics on standard error (<c>--telemetry console</c>).</param>
/// <param name="OtlpEndpoint"><c>--otlp-endpoint</c>, or null.</param>
/// <param name="OtlpProtocol"><c>--otlp-protocol</c> (<c>grpc</c> or <c>http/protobuf</c>), or null.</param>
internal sealed record TelemetryRequest(bool Console, Uri? OtlpEndpoint, string? OtlpProtocol)
{
    /// <summary>No switch given.</summary>
    public static TelemetryRequest None { get; } = new(false, null, null);
}
