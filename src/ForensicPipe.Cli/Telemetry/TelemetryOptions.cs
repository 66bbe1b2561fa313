using System.CommandLine;
using System.CommandLine.Parsing;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>The telemetry switches of every command (recursive options of the root command).</summary>
internal static class TelemetryOptions
{
    public static readonly Option<string?> Telemetry = CreateTelemetry();

    public static readonly Option<string?> OtlpEndpoint = CreateOtlpEndpoint();

    public static readonly Option<string?> OtlpProtocol = CreateOtlpProtocol();

    /// <summary>What the command line asks for; the job file and the environment fill in the rest
    /// (<see cref="TelemetrySettings.Resolve"/>).</summary>
    public static TelemetryRequest FromCommandLine(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? endpoint = parse.GetValue(OtlpEndpoint);
        return new TelemetryRequest(
            parse.GetValue(Telemetry) == "console",
            endpoint is null ? null : new Uri(endpoint, UriKind.Absolute),
            parse.GetValue(OtlpProtocol));
    }

    private static Option<string?> CreateTelemetry()
    {
        var option = new Option<string?>("--telemetry")
        {
            Description = "Telemetry exporter: 'console' prints spans and metrics on standard error; 'none' (default).",
            Recursive = true,
            CustomParser = result => Commands.SizeText.ParseChoice(result, "--telemetry", "console", "none"),
        };
        return option;
    }

    private static Option<string?> CreateOtlpEndpoint()
    {
        var option = new Option<string?>("--otlp-endpoint")
        {
            Description = $"Send spans and metrics over OTLP to this endpoint, e.g. http://127.0.0.1:4317 (gRPC) or " +
                $"http://127.0.0.1:4318 (http/protobuf); default ${TelemetrySettings.EndpointVariable}.",
            Recursive = true,
            HelpName = "URL",
        };
        option.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            if (text is not null && !TelemetrySettings.TryParseEndpoint(text, out _))
            {
                result.AddError($"--otlp-endpoint: '{text}' is not an absolute http:// or https:// URL");
            }
        });
        return option;
    }

    private static Option<string?> CreateOtlpProtocol()
    {
        var option = new Option<string?>("--otlp-protocol")
        {
            Description = $"OTLP transport: '{TelemetrySettings.Grpc}' (default) or '{TelemetrySettings.HttpProtobuf}'; " +
                $"default ${TelemetrySettings.ProtocolVariable}.",
            Recursive = true,
            CustomParser = result => Commands.SizeText.ParseChoice(result, "--otlp-protocol", TelemetrySettings.Grpc, TelemetrySettings.HttpProtobuf),
        };
        return option;
    }
}
