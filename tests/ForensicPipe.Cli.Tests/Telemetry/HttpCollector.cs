using System.Net;
using System.Net.Sockets;

namespace ForensicPipe.Cli.Tests.Telemetry;

/// <summary>An OTLP/HTTP stand-in on 127.0.0.1: records each request and answers 200 with an empty
/// protobuf body (an empty Export*ServiceResponse).</summary>
public sealed class HttpCollector : IDisposable
{
    private readonly HttpListener _listener = new();

    public HttpCollector()
    {
        // HttpListener needs a port up front: take a free one from the kernel.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
    }

    /// <summary>The base URL, without a trailing slash.</summary>
    public string Endpoint { get; }

    public sealed record Request(string Method, string Path, string? ContentType, string? TestHeader, byte[] Body);

    /// <summary>Answers requests until <paramref name="client"/> has ended (it waits for our answers, so every
    /// request it made has come by then) or 90 s have passed; returns them in order.</summary>
    public async Task<IReadOnlyList<Request>> ReceiveUntilExitAsync(Task client)
    {
        var requests = new List<Request>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Task<HttpListenerContext> next = _listener.GetContextAsync();
        while (true)
        {
            Task done = await Task.WhenAny(next, client, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            if (done != next)
            {
                break;
            }
            HttpListenerContext context = await next.ConfigureAwait(false);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            requests.Add(new Request(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType,
                context.Request.Headers["x-fpipe-test"], body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
            next = _listener.GetContextAsync();
        }
        return requests;
    }

    public void Dispose() => _listener.Close();
}
