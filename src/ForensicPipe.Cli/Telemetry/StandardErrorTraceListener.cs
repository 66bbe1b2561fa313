using System.Diagnostics;

namespace ForensicPipe.Cli.Telemetry;

/// <summary>
/// A trace listener that writes to standard error and, unlike <see cref="TextWriterTraceListener"/>, leaves
/// it open when disposed. The console exporter's <c>Debug</c> target reaches it through
/// <see cref="Trace.WriteLine(string)"/>.
/// </summary>
internal sealed class StandardErrorTraceListener : TraceListener
{
    /// <summary>Creates the listener.</summary>
    public StandardErrorTraceListener()
        : base("fpipe-standard-error")
    {
    }

    /// <inheritdoc />
    public override bool IsThreadSafe => true;

    /// <inheritdoc />
    public override void Write(string? message) => Console.Error.Write(message);

    /// <inheritdoc />
    public override void WriteLine(string? message) => Console.Error.WriteLine(message);
}
