namespace ForensicPipe.Core.Pipeline;

/// <summary>A source that can record its progress against an output and continue it in a later run (the
/// device source with a mapfile). The runner binds the job's raw-file output before the source opens.</summary>
public interface IResumableSource
{
    /// <summary>Binds <paramref name="output"/>, the output whose <c>.partial</c> file a resumed run continues.</summary>
    void BindOutput(IResumableOutput output);
}
