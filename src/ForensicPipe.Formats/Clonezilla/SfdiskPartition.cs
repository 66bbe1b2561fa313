namespace ForensicPipe.Formats.Clonezilla;

/// <summary>One partition line of an <c>sfdisk -d</c> dump: <c>/dev/sda1 : start=2048, size=81920, type=…</c>.</summary>
/// <param name="Name">The device's name without <c>/dev/</c> (<c>sda1</c>, <c>nvme0n1p2</c>), as Clonezilla names files.</param>
/// <param name="Start">First sector.</param>
/// <param name="Size">Sectors.</param>
/// <param name="Type">The type: two hex digits for dos (<c>83</c>), a GUID for gpt.</param>
/// <param name="Line">1-based line in the dump, for messages.</param>
public sealed record SfdiskPartition(string Name, long Start, long Size, string Type, int Line)
{
    /// <summary>The GPT partition's UUID, or null.</summary>
    public string? Uuid { get; init; }

    /// <summary>The GPT partition's name, or null.</summary>
    public string? Label { get; init; }

    /// <summary>Whether the dos boot flag is set.</summary>
    public bool Bootable { get; init; }

    /// <summary>First sector past the partition.</summary>
    public long End => Start + Size;
}
