using System.Globalization;
using System.Text;

namespace ForensicPipe.Cli.Terminal;

/// <summary>
/// <c>--log FILE</c>: a session record appended to FILE — the command line and working folder, the start
/// (UTC), every line written to standard error as the user saw it (a progress line redrawn with carriage
/// returns is recorded as its last state), then the end, the outcome and the exit code. Lines are written as
/// they come, so a killed run leaves what it said. docs/cli.md, "--log".
/// </summary>
internal sealed class SessionLog : IDisposable
{
    private readonly StreamWriter _file;
    private readonly TextWriter _terminal;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private SessionLog(StreamWriter file, TextWriter terminal)
    {
        _file = file;
        _terminal = terminal;
        _file.WriteLine($"=== {Stamp(_started)} start: fpipe {string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote))}");
        _file.WriteLine($"    folder: {Environment.CurrentDirectory}; user: {Environment.UserName}; host: {Environment.MachineName}; process: {Environment.ProcessId}");
        _file.Flush();
        Console.SetError(TextWriter.Synchronized(new TeeWriter(terminal, this)));
    }

    /// <summary>Opens <paramref name="path"/> for appending and starts copying standard error into it.</summary>
    public static SessionLog Open(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new Core.Errors.JobValidationException(Commands.CommonOptions.CommandLine, "--log", $"cannot append to {path}: {exception.Message}");
        }
        return new SessionLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true }, Console.Error);
    }

    /// <summary>Records the end: exit code and what it means.</summary>
    public void End(int exitCode)
    {
        DateTimeOffset ended = DateTimeOffset.UtcNow;
        string meaning = exitCode switch
        {
            ExitCodes.Ok => "succeeded",
            ExitCodes.Failed => "failed",
            ExitCodes.Usage => "refused (bad usage or invalid job; nothing ran)",
            ExitCodes.Mismatch => "checksum mismatch",
            ExitCodes.Cancelled => "cancelled",
            _ => "exit " + exitCode.ToString(CultureInfo.InvariantCulture),
        };
        string seconds = (ended - _started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        Line($"=== {Stamp(ended)} end: exit {exitCode} ({meaning}) after {seconds} s");
        _file.WriteLine();
    }

    public void Dispose()
    {
        Console.SetError(_terminal);
        _file.Dispose();
    }

    /// <summary>Writes a message into the log only (the terminal gets it elsewhere).</summary>
    public void Record(string message) => Line("    " + message);

    private void Line(string line)
    {
        try
        {
            _file.WriteLine(line);
        }
        catch (IOException)
        {
            // A full disk must not end the job; the terminal still has every message.
        }
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>Standard error, copied line by line into the log.</summary>
    private sealed class TeeWriter(TextWriter terminal, SessionLog log) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => terminal.Encoding;

        public override void Write(char value)
        {
            terminal.Write(value);
            Take(value);
        }

        public override void Write(string? value)
        {
            terminal.Write(value);
            foreach (char c in value ?? "")
            {
                Take(c);
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }

        public override void Flush() => terminal.Flush();

        private void Take(char c)
        {
            switch (c)
            {
                case '\n':
                    string text = _line.ToString().TrimEnd();
                    _line.Clear();
                    if (text.Length > 0)
                    {
                        log.Line("    " + text);
                    }
                    break;
                case '\r':
                    // A redraw: the terminal shows what follows, so the log keeps only that.
                    _line.Clear();
                    break;
                default:
                    _line.Append(c);
                    break;
            }
        }
    }
}
