using System.Text;
using ForensicPipe.Formats.Clonezilla;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>The <c>sfdisk --dump</c> text of a Clonezilla folder (<c>sda-pt.sf</c>) through <see cref="SfdiskDump.Parse"/>.</summary>
public sealed class SfdiskTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "sfdisk";

    /// <inheritdoc />
    public override string Description => "sfdisk dump text (pt.sf) through SfdiskDump.Parse";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch) =>
        SfdiskDump.Parse(Encoding.UTF8.GetString(input), "sda-pt.sf");
}
