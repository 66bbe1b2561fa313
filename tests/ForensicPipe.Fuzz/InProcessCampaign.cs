using System.Diagnostics;

namespace ForensicPipe.Fuzz;

/// <summary>
/// A bounded campaign without afl-fuzz: every seed, then mutations of them (<see cref="FuzzMutator"/>, fixed seed),
/// each run in this process under the limits of <see cref="FuzzRunner"/> and a time limit: an input slower than
/// <see cref="HangLimit"/> is run again, and counts as a hang when it is slow twice (a loaded machine can stall one
/// run); one that does not finish within <see cref="AbandonAfter"/> is left running and reported.
/// </summary>
public static class InProcessCampaign
{
    /// <summary>Time one input may take (docs/fuzzing.md).</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(1);

    /// <summary>Time after which a run is abandoned (its thread left behind) so that the campaign ends.</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="target"/> over <paramref name="seeds"/> and then mutations until
    /// <paramref name="mutations"/> were run or <paramref name="budget"/> has passed.</summary>
    public static CampaignResult Run(FuzzTarget target, IReadOnlyList<byte[]> seeds, int mutations, int randomSeed, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seeds);
        var result = new CampaignResult { Target = target.Name };
        var mutator = new FuzzMutator(randomSeed);
        var random = new Random(randomSeed);
        using var scratch = new FuzzScratch();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < seeds.Count + mutations && clock.Elapsed < budget; i++)
        {
            byte[] input = i < seeds.Count || seeds.Count == 0
                ? (i < seeds.Count ? seeds[i] : [])
                : mutator.Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)]);
            (TimeSpan took, FuzzDefect? defect, bool rejected) = RunTimed(target, input, scratch);
            if (defect is null && took > HangLimit && i > 0)
            {
                (took, defect, rejected) = RunTimed(target, input, scratch);
                if (defect is null && took > HangLimit)
                {
                    defect = new FuzzDefect(target.Name, "hang", $"{took.TotalMilliseconds:F0} ms twice (limit {HangLimit.TotalMilliseconds} ms)", input);
                }
            }
            if (i > 0 && took > result.Slowest)
            {
                result.Slowest = took;
            }
            result.Executions++;
            result.Rejected += rejected ? 1 : 0;
            if (defect is not null)
            {
                result.Defects.Add(defect);
                if (defect.Kind == "hang" && took >= AbandonAfter)
                {
                    break; // the scratch folder is still in use by the abandoned run
                }
            }
        }
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>Runs one input: its time, and a defect or null when it was read or rejected as documented.</summary>
    public static (TimeSpan Took, FuzzDefect? Defect, bool Rejected) RunTimed(FuzzTarget target, byte[] input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(target);
        var clock = Stopwatch.StartNew();
        // A pool thread: a new thread per input would cost more than most inputs.
        Task<Core.Errors.ForensicPipeException?> run = Task.Run(() => FuzzRunner.RunOne(target, input, scratch));
        bool finished;
        try
        {
            finished = run.Wait(AbandonAfter);
        }
        catch (AggregateException ex)
        {
            Exception inner = ex.InnerException!;
            string kind = inner is FuzzDefectException ? "allocation" : "crash";
            return (clock.Elapsed, new FuzzDefect(target.Name, kind, Describe(inner), input), false);
        }
        return finished
            ? (clock.Elapsed, null, run.Result is not null)
            : (clock.Elapsed, new FuzzDefect(target.Name, "hang", $"still running after {AbandonAfter.TotalSeconds} s", input), false);
    }

    /// <summary>The exception's type, message and first frames, on a few lines.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string[] frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return $"{exception.GetType().FullName}: {exception.Message}\n  {string.Join("\n  ", frames.Take(6))}";
    }
}
