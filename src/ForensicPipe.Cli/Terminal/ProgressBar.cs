using System.Diagnostics;
using System.Globalization;

namespace ForensicPipe.Cli.Terminal;

/// <summary>
/// A one-line progress display on standard error — bytes done, percent, rate and ETA — redrawn four
/// times a second while a job runs, and only when standard error is a terminal.
/// </summary>
internal sealed class ProgressBar : IAsyncDisposable
{
    private const int MaxBarWidth = 30;
    private const int MinBarWidth = 5;
    private const int DefaultColumns = 80;
    private int _drawn;
    private readonly Func<long> _done;
    private readonly Func<long?> _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressBar(Func<long> done, Func<long?> total)
    {
        _done = done;
        _total = total;
        _loop = RunAsync();
    }

    /// <summary>Starts a bar, or returns null when it must not show (quiet, or stderr is redirected).</summary>
    public static ProgressBar? StartIfTerminal(bool quiet, Func<long> done, Func<long?> total) =>
        quiet || Console.IsErrorRedirected ? null : new ProgressBar(done, total);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Draw();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Draw()
    {
        long done = _done();
        long? total = _total();
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        string line = Format(done, total, done / seconds, TerminalWidth() - 1);
        // Redraw in place: back to the start of the line, and blank what a longer previous line left.
        Console.Error.Write("\r" + line.PadRight(_drawn));
        _drawn = line.Length;
    }

    /// <summary>The line for <paramref name="columns"/> columns: the bar shrinks first, then the ETA, the rate and
    /// the total go, so that the line never wraps (a wrapped line scrolls at every redraw).</summary>
    internal static string Format(long done, long? total, double rate, int columns)
    {
        columns = Math.Max(columns, 1);
        if (total is not long size || size <= 0)
        {
            return Fit(columns, $"{Bytes(done)}  {Bytes((long)rate)}/s", Bytes(done));
        }
        double fraction = Math.Clamp((double)done / size, 0, 1);
        // Past the reported size (a device probed for unreported sectors) there is no estimate.
        string eta = rate > 0 && done < size ? FormatTime(TimeSpan.FromSeconds((size - done) / rate)) : "--:--";
        string percent = string.Create(CultureInfo.InvariantCulture, $"{fraction * 100,3:F0}%");
        string text = $" {percent} {Bytes(done)} / {Bytes(size)}  {Bytes((long)rate)}/s  ETA {eta}";
        int bar = Math.Min(MaxBarWidth, columns - text.Length - 2);
        if (bar >= MinBarWidth)
        {
            int filled = (int)(fraction * bar);
            return $"[{new string('#', filled)}{new string('.', bar - filled)}]{text}";
        }
        return Fit(columns, text.TrimStart(), $"{percent} {Bytes(done)}  ETA {eta}", $"{percent} ETA {eta}", percent);
    }

    /// <summary>The first of <paramref name="candidates"/> that fits, else the last one cut.</summary>
    private static string Fit(int columns, params string[] candidates) =>
        candidates.FirstOrDefault(candidate => candidate.Length <= columns) is string fits ? fits : candidates[^1][..Math.Min(candidates[^1].Length, columns)];

    /// <summary>Columns of the terminal: <c>COLUMNS</c> when set (as ncurses lets it override), else the
    /// terminal's size (<c>TIOCGWINSZ</c>, which <see cref="Console.WindowWidth"/> reads), else 80. A pty without a
    /// size (one made by script(1) without a terminal) reports 0.</summary>
    internal static int TerminalWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0)
        {
            return columns;
        }
        try
        {
            int width = Console.WindowWidth;
            return width > 0 ? width : DefaultColumns;
        }
        catch (IOException)
        {
            return DefaultColumns;
        }
    }

    private static string FormatTime(TimeSpan time) =>
        time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Draw();
        Console.Error.WriteLine();
        _stop.Dispose();
    }
}
