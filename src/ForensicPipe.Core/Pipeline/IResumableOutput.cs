namespace ForensicPipe.Core.Pipeline;

/// <summary>
/// An output file whose progress a source records so that an interrupted job can be resumed (the device
/// source's ddrescue mapfile): the source asks how far the output holds what was sent to it, makes that
/// durable, and only then records it, so a record never claims bytes a crash could still take away.
/// </summary>
public interface IResumableOutput
{
    /// <summary>The output's name once complete.</summary>
    string FinalPath { get; }

    /// <summary>The name it is written under until then (what a resumed job continues).</summary>
    string PartialPath { get; }

    /// <summary>Bytes <c>[0, WrittenUpTo)</c> of the output hold what the pipeline sent (written, not
    /// necessarily durable yet).</summary>
    long WrittenUpTo { get; }

    /// <summary>Open the existing <see cref="PartialPath"/> instead of truncating it; called by a resuming
    /// source before the output opens.</summary>
    void KeepExistingPartial();

    /// <summary>Makes every byte written so far durable (<c>fsync</c>); bytes below a <see cref="WrittenUpTo"/>
    /// read before the call are durable when it returns. A no-op once the output is closed.</summary>
    void FlushWritten();
}
