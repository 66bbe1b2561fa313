using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ForensicPipe.Cli.Telemetry;

namespace ForensicPipe.Cli.Tests.Telemetry;

/// <summary>
/// Telemetry of a real <c>fpipe image</c> run: the console exporter on standard error, OTLP over
/// http/protobuf to an in-test HTTP listener and over gRPC to a TCP listener, all on 127.0.0.1 and bounded in time.
/// </summary>
public sealed class TelemetryCommandTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string> s_noVariables = [];

    /// <summary>The connection preface every HTTP/2 client sends first (RFC 9113 §3.4).</summary>
    private const string Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    [Fact]
    public void Image_TelemetryConsole_SpansAndOneMetricBlockOnStandardErrorOnly()
    {
        using var directory = NewInput();

        FpipeProcess.Outcome outcome = Run(directory, s_noVariables, "--quiet", "--telemetry", "console");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("", outcome.Stdout);
        Assert.Contains("Activity.DisplayName:        job", outcome.Stderr);
        Assert.Contains("Activity.DisplayName:        hash md5", outcome.Stderr);
        Assert.Contains("Activity.DisplayName:        sink raw-file", outcome.Stderr);
        Assert.DoesNotContain("sink md5", outcome.Stderr);
        Assert.Contains("Metric Name: fpipe.consumer.bytes", outcome.Stderr);
        Assert.Equal(256 * 1024 + 3, ConsoleMetrics.Sum(outcome.Stderr, "fpipe.consumer.bytes", "fpipe.consumer: md5"));
        // The job counter changes once: one delta block carries it, never a repeat of the same block.
        Assert.Equal(1, Count(outcome.Stderr, "Metric Name: fpipe.jobs,"));
    }

    [Fact]
    public async Task Image_OtlpHttpProtobuf_PostsTracesAndMetricsAsProtobuf()
    {
        using var directory = NewInput();
        using var collector = new HttpCollector();

        Task<FpipeProcess.Outcome> run = Task.Run(() => Run(directory, s_noVariables, "--quiet",
            "--otlp-endpoint", collector.Endpoint, "--otlp-protocol", "http/protobuf"));
        IReadOnlyList<HttpCollector.Request> requests = await collector.ReceiveUntilExitAsync(run);
        FpipeProcess.Outcome outcome = await run.WaitAsync(s_deadline);

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("", outcome.Stdout);
        Assert.Contains(requests, r => r.Path == "/v1/traces");
        Assert.Contains(requests, r => r.Path == "/v1/metrics");
        Assert.All(requests, request =>
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("application/x-protobuf", request.ContentType);
            Assert.NotEmpty(request.Body);
        });
        // Protobuf keeps strings as UTF-8 bytes: the instrument and span names are readable in the bodies.
        Assert.Contains(requests, r => r.Path == "/v1/metrics" && Encoding.UTF8.GetString(r.Body).Contains("fpipe.consumer.bytes", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Path == "/v1/traces" && Encoding.UTF8.GetString(r.Body).Contains("hash md5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Image_OtelEnvironmentVariables_EndpointProtocolHeadersAndServiceNameHonoured()
    {
        using var directory = NewInput();
        using var collector = new HttpCollector();
        var environment = new Dictionary<string, string>
        {
            [TelemetrySettings.EndpointVariable] = collector.Endpoint,
            [TelemetrySettings.ProtocolVariable] = "http/protobuf",
            [TelemetrySettings.HeadersVariable] = "x-fpipe-test=yes",
            [TelemetrySettings.ServiceNameVariable] = "fpipe-under-test",
        };

        Task<FpipeProcess.Outcome> run = Task.Run(() => Run(directory, environment, "--quiet"));
        IReadOnlyList<HttpCollector.Request> requests = await collector.ReceiveUntilExitAsync(run);
        FpipeProcess.Outcome outcome = await run.WaitAsync(s_deadline);

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        HttpCollector.Request traces = requests.First(r => r.Path == "/v1/traces");
        Assert.Equal("yes", traces.TestHeader);
        Assert.Contains("fpipe-under-test", Encoding.UTF8.GetString(traces.Body));
    }

    [Fact]
    public async Task Image_OtlpGrpcDefault_ConnectsWithHttp2Preface()
    {
        using var directory = NewInput();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            string endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            Task<FpipeProcess.Outcome> run = Task.Run(() => Run(directory, s_noVariables, "--quiet", "--otlp-endpoint", endpoint));

            using var timeout = new CancellationTokenSource(s_deadline);
            using TcpClient client = await listener.AcceptTcpClientAsync(timeout.Token);
            byte[] preface = new byte[Http2Preface.Length];
            await client.GetStream().ReadExactlyAsync(preface, timeout.Token);
            client.Close();
            FpipeProcess.Outcome outcome = await run.WaitAsync(s_deadline);

            Assert.Equal(Http2Preface, Encoding.ASCII.GetString(preface));
            // A collector that hangs up fails the export, never the job.
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);
            Assert.Equal("", outcome.Stdout);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData(TelemetrySettings.ProtocolVariable, "thrift")]
    [InlineData(TelemetrySettings.EndpointVariable, "127.0.0.1:4317")]
    [InlineData(TelemetrySettings.HeadersVariable, "no-equals-sign")]
    public void Image_InvalidOtelVariable_UsageErrorNamingIt(string variable, string value)
    {
        using var directory = NewInput();

        FpipeProcess.Outcome outcome = Run(directory, new Dictionary<string, string> { [variable] = value }, "--quiet");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(variable, outcome.Stderr);
        Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Theory]
    [InlineData("--otlp-endpoint", "localhost:4317")]
    [InlineData("--otlp-protocol", "http/json")]
    [InlineData("--telemetry", "jaeger")]
    public void Image_InvalidTelemetrySwitch_UsageError(string option, string value)
    {
        using var directory = NewInput();

        FpipeProcess.Outcome outcome = Run(directory, s_noVariables, "--quiet", option, value);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(value, outcome.Stderr);
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    private static TempDirectory NewInput()
    {
        var directory = new TempDirectory();
        var content = new byte[256 * 1024 + 3];
        new Random(3).NextBytes(content);
        File.WriteAllBytes(directory.File("in.raw"), content);
        return directory;
    }

    /// <summary><c>fpipe image in.raw out.raw --hash md5 ARGS</c> with the OTEL_* variables of this process removed.</summary>
    private static FpipeProcess.Outcome Run(TempDirectory directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ProcessStartInfo start = FpipeProcess.StartInfo(directory.Path, ["image", "in.raw", "out.raw", "--hash", "md5", .. arguments]);
        foreach (string name in start.Environment.Keys.Where(key => key.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(s_deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fpipe {string.Join(' ', arguments)} hung");
        }
        return new FpipeProcess.Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static int Count(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
