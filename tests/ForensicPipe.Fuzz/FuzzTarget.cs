namespace ForensicPipe.Fuzz;

/// <summary>
/// One fuzz target: a parser or input layer fed a whole input through the public API. <see cref="Run"/> may throw
/// only the documented <c>ForensicPipeException</c> hierarchy; <see cref="FuzzRunner"/> turns anything else, and
/// an allocation beyond its limit, into a defect (docs/fuzzing.md, "What a failure means").
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name on the command line and the corpus folder (<c>corpus/NAME</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The seed corpus folder (<c>corpus/NAME</c>): the target's name unless it shares another's seeds.</summary>
    public virtual string CorpusName => Name;

    /// <summary>One line: what the target feeds and through which API.</summary>
    public abstract string Description { get; }

    /// <summary>Reads <paramref name="input"/> through the target's API; files go under <paramref name="scratch"/>.</summary>
    public abstract void Run(ReadOnlySpan<byte> input, FuzzScratch scratch);
}
