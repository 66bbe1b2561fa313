using System.Buffers.Binary;
using System.Text;

namespace ForensicPipe.Formats.Disk;

/// <summary>
/// The first page of a Linux swap area as util-linux <c>mkswap -L LABEL -U UUID</c> writes it on a blank partition
/// (docs/formats/clonezilla.md, "Swap"): 1024 zero boot bytes, the version-1 header, the magic <c>SWAPSPACE2</c> in
/// the page's last 10 bytes. The rest of the partition is not written.
/// </summary>
public static class SwapHeader
{
    /// <summary>The page size of x86-64 (and most arm64) kernels.</summary>
    public const int DefaultPageSize = 4096;

    /// <summary>Offset of the header after the boot bytes (util-linux swapheader.h <c>bootbits[1024]</c>).</summary>
    public const int VersionOffset = 1024;

    /// <summary>Offset of <c>last_page</c>: the number of the last page of the area.</summary>
    public const int LastPageOffset = 1028;

    /// <summary>Offset of <c>nr_badpages</c> (0 from mkswap without -c).</summary>
    public const int BadPagesOffset = 1032;

    /// <summary>Offset of the 16 UUID bytes, in the order the text form reads.</summary>
    public const int UuidOffset = 1036;

    /// <summary>Offset of the 16-byte volume label (NUL-padded, not necessarily NUL-terminated).</summary>
    public const int LabelOffset = 1052;

    /// <summary>Length of the label field.</summary>
    public const int LabelLength = 16;

    /// <summary>Label bytes mkswap keeps: it truncates longer labels (with a warning) and leaves the field's last byte NUL
    /// (checked against util-linux 2.38 mkswap in SwapHeaderTests).</summary>
    public const int MaxLabelBytes = LabelLength - 1;

    /// <summary>mkswap refuses areas of fewer pages (util-linux <c>MIN_GOODPAGES</c>).</summary>
    public const int MinPages = 10;

    /// <summary>The magic of a version-1 swap area, at the end of the first page.</summary>
    public static ReadOnlySpan<byte> Magic => "SWAPSPACE2"u8;

    /// <summary>Writes the first page of a swap area of <paramref name="size"/> bytes into <paramref name="page"/>
    /// (exactly one page long).</summary>
    /// <exception cref="ArgumentException">A UUID that does not parse, or an area of fewer than <see cref="MinPages"/>
    /// pages. A label longer than <see cref="MaxLabelBytes"/> bytes is cut there, as mkswap cuts it.</exception>
    public static void Write(Span<byte> page, long size, string? uuid, string? label)
    {
        int pageSize = page.Length;
        if (pageSize < 4096 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new ArgumentException($"page size {pageSize} is not a power of two of at least 4096", nameof(page));
        }
        long pages = size / pageSize;
        if (pages < MinPages || pages - 1 > uint.MaxValue)
        {
            throw new ArgumentException($"a swap area of {size} bytes has {pages} pages of {pageSize} bytes; mkswap needs {MinPages} to {1L + uint.MaxValue}", nameof(size));
        }
        page.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(page[VersionOffset..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(page[LastPageOffset..], (uint)(pages - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(page[BadPagesOffset..], 0);
        if (uuid is not null)
        {
            if (!Guid.TryParse(uuid, out Guid parsed))
            {
                throw new ArgumentException($"swap UUID '{uuid}' is not a UUID", nameof(uuid));
            }
            // RFC 4122 text order, as libuuid's uuid_parse stores it.
            parsed.TryWriteBytes(page.Slice(UuidOffset, 16), bigEndian: true, out _);
        }
        if (label is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(label);
            bytes.AsSpan(0, Math.Min(bytes.Length, MaxLabelBytes)).CopyTo(page.Slice(LabelOffset, LabelLength));
        }
        Magic.CopyTo(page[(pageSize - Magic.Length)..]);
    }
}
