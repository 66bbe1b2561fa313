using System.Text.Json.Serialization;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>What a folder's swap partitions become on the disk (docs/formats/clonezilla.md, "Swap").</summary>
public enum ClonezillaSwapMode
{
    /// <summary>The first page as <c>mkswap -L LABEL -U UUID</c> writes it on a blank partition, from
    /// <c>swappt-&lt;part&gt;.info</c> (what restoredisk does); the rest of the partition absent. The default.</summary>
    [JsonStringEnumMemberName("mkswap")]
    Mkswap,

    /// <summary>Zeros over the whole partition: no swap area, and nothing of the target's old bytes left there.</summary>
    [JsonStringEnumMemberName("zeros")]
    Zeros,
}
