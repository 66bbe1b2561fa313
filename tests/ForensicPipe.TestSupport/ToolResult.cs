namespace ForensicPipe.TestSupport;

/// <summary>The result of running an external tool: its command line, exit code and captured output.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <inheritdoc/>
    public override string ToString() => $"{CommandLine} -> exit {ExitCode}\n{StandardError}";
}
