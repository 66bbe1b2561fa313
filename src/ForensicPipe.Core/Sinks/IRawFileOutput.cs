using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Sinks;

/// <summary>A raw-file output as the job runner handles it: one file (<see cref="RawFileOutput"/>) or a set of
/// split pieces (<see cref="SplitRawFileSink"/>), with its own sidecars.</summary>
public interface IRawFileOutput : IExtentConsumer
{
    /// <summary>The output's name once complete (for split outputs, the name the pieces are numbered after).</summary>
    string FinalPath { get; }

    /// <summary>Whether the output was renamed to its final name(s).</summary>
    bool Committed { get; }

    /// <summary>The file a resumed acquisition continues (one plain file), or null (split pieces).</summary>
    Pipeline.IResumableOutput? Resumable { get; }

    /// <summary>Checks that the output may be created; called before anything runs.</summary>
    void CheckTarget();

    /// <summary>Writes the <c>md5sum</c>/<c>sha256sum</c>-compatible sidecars of the committed output.</summary>
    /// <param name="digests">Digests of the whole stream by algorithm (lower-case hex).</param>
    /// <returns>The sidecar paths.</returns>
    IReadOnlyList<string> WriteSidecars(IReadOnlyDictionary<string, string> digests);
}
