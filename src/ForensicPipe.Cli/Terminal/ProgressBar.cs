using System.Diagnostics;
using System.Globalization;

namespace ForensicPipe.Cli.Terminal;

/// <summary>
/// A one-line progress display on standard error — bytes done, percent, rate and ETA — redrawn four
/// times a second while a job runs, and only when standard error is a terminal.
/// </summary>
internal sealed class ProgressBar : IAsyncDisposable
{
    private const int Width = 30;
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
        double rate = done / seconds;
        string line;
        if (total is long size && size > 0)
        {
            double fraction = Math.Clamp((double)done / size, 0, 1);
            int filled = (int)(fraction * Width);
            // Past the reported size (a device probed for unreported sectors) there is no estimate.
            string eta = rate > 0 && done < size ? FormatTime(TimeSpan.FromSeconds((size - done) / rate)) : "--:--";
            line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:F0}% {Bytes(done)} / {Bytes(size)}  {Bytes((long)rate)}/s  ETA {eta}";
        }
        else
        {
            line = $"{Bytes(done)}  {Bytes((long)rate)}/s";
        }
        // A terminal without a size (a pty made by script(1)) reports width 0.
        Console.Error.Write("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : Math.Clamp(Console.WindowWidth - 1, 0, 100)));
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
