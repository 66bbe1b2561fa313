namespace ForensicPipe.Fuzz;

/// <summary>What an in-process campaign did for one target.</summary>
public sealed class CampaignResult
{
    /// <summary>The target's name.</summary>
    public required string Target { get; init; }

    /// <summary>Inputs run.</summary>
    public long Executions { get; set; }

    /// <summary>Inputs rejected with a documented error.</summary>
    public long Rejected { get; set; }

    /// <summary>Wall time of the campaign.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>The slowest input's time (the first input, which pays for JIT compilation, excluded).</summary>
    public TimeSpan Slowest { get; set; }

    /// <summary>Crashes, hangs and allocations beyond the limit.</summary>
    public List<FuzzDefect> Defects { get; } = [];

    /// <summary>Executions per second.</summary>
    public double ExecutionsPerSecond => Executions / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
