using ForensicPipe.Core.Errors;

namespace ForensicPipe.Fuzz;

/// <summary>
/// Runs one input against a target under the limits of docs/fuzzing.md: the documented
/// <see cref="ForensicPipeException"/> hierarchy is an accepted rejection; any other exception propagates (a crash);
/// more than <see cref="MaxAllocatedBytes"/> allocated for an input of at most <see cref="MaxInputBytes"/> is a
/// <see cref="FuzzDefectException"/>. Time (1 s per input) is enforced by the caller: afl-fuzz <c>-t</c>, or the
/// in-process campaign's stopwatch.
/// </summary>
public static class FuzzRunner
{
    /// <summary>Largest input the allocation limit applies to (afl-fuzz's own maximum input size).</summary>
    public const int MaxInputBytes = 1 << 20;

    /// <summary>Managed bytes one input may make the process allocate, over all threads.</summary>
    public const long MaxAllocatedBytes = 64L << 20;

    /// <summary>Runs <paramref name="input"/>; returns the rejection, or null when the input was read to its end.</summary>
    /// <exception cref="FuzzDefectException">The allocation limit was exceeded.</exception>
    public static ForensicPipeException? RunOne(FuzzTarget target, ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(scratch);
        scratch.Clear();
        long before = GC.GetTotalAllocatedBytes(precise: false);
        ForensicPipeException? rejection = null;
        try
        {
            target.Run(input, scratch);
        }
        catch (ForensicPipeException ex)
        {
            rejection = ex;
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        if (input.Length <= MaxInputBytes && allocated > MaxAllocatedBytes)
        {
            throw new FuzzDefectException(
                $"{target.Name}: {allocated} bytes allocated for a {input.Length}-byte input (limit {MaxAllocatedBytes}){(rejection is null ? "" : $"; it then failed with: {rejection.Message}")}");
        }
        return rejection;
    }
}
