namespace ForensicPipe.Core.Sinks;

/// <summary>A file output made by a registered sink (an E01 set) rather than the raw-file outputs: like those,
/// written under a <c>.partial</c> name and renamed on success, so that the report named after it follows it
/// (<c>OUT.report.json</c>, or <c>OUT.partial.report.json</c> while it is not complete).</summary>
public interface INamedOutput
{
    /// <summary>The output's name once complete.</summary>
    string FinalPath { get; }

    /// <summary>Whether the output was renamed to its final name.</summary>
    bool Committed { get; }
}
