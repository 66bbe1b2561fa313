namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// A sink whose target can only be judged once the source is open (its size, its identity): the runner
/// calls <see cref="CheckTarget"/> after opening the source and before any consumer opens, so a refusal
/// leaves every output untouched. A refusal throws <see cref="Errors.JobValidationException"/> (exit 2).
/// </summary>
public interface ITargetCheck
{
    /// <summary>Refuses the target when writing to it is not safe or cannot succeed for <paramref name="source"/>.</summary>
    void CheckTarget(SourceInfo source);
}
