using System.ComponentModel;

namespace ForensicPipe.Formats.Disk;

/// <summary>The label and UUID of a swap area recreated as <c>mkswap -L LABEL -U UUID</c> does, or zeros instead.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed class DiskSwapSpec
{
    /// <summary>The UUID (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>); null: all zero.</summary>
    [Description("The UUID, as mkswap -U takes it; default: all zero.")]
    public string? Uuid { get; init; }

    /// <summary>The label; null: none. mkswap keeps its first 15 bytes.</summary>
    [Description("The label (mkswap keeps its first 15 bytes); default: none.")]
    public string? Label { get; init; }

    /// <summary>The page size mkswap used (the machine's; 4096 on x86-64 and most arm64 kernels).</summary>
    [Description("The page size of the machine mkswap ran on; default 4096.")]
    public int PageSize { get; set; } = SwapHeader.DefaultPageSize;

    /// <summary>Zeros over the whole partition instead of a swap header (no swap area); UUID, label and page size
    /// are then unused.</summary>
    [Description("Zeros over the whole partition instead of mkswap's header; default false.")]
    public bool Zeros { get; set; }
}
