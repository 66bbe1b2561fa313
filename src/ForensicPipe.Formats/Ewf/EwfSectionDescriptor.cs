using System.Buffers.Binary;
using System.Text;

namespace ForensicPipe.Formats.Ewf;

/// <summary>The 76-byte descriptor that starts every section: its type, the offset of the next section in
/// the same segment file, its size (descriptor included) and the descriptor's Adler-32.</summary>
internal readonly struct EwfSectionDescriptor
{
    private EwfSectionDescriptor(string type, long next, long size)
    {
        Type = type;
        Next = next;
        Size = size;
    }

    /// <summary>The section type (<c>header2</c>, <c>sectors</c>, …).</summary>
    public string Type { get; }

    /// <summary>Offset of the next section from the start of the segment file; <c>next</c> and <c>done</c>
    /// point at themselves.</summary>
    public long Next { get; }

    /// <summary>Size of the section including this descriptor (0 for EnCase's <c>next</c> and <c>done</c>).</summary>
    public long Size { get; }

    /// <summary>Parses and checks the descriptor at <paramref name="offset"/> of <paramref name="segment"/>.</summary>
    public static EwfSectionDescriptor Parse(ReadOnlySpan<byte> bytes, string segment, long offset)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[EwfFieldOffsets.SectionChecksum..]);
        uint computed = EwfAdler32.Compute(bytes[..EwfFieldOffsets.SectionChecksum]);
        if (stored != computed)
        {
            EwfThrowHelper.ThrowInvalid(segment, "section descriptor checksum", offset + EwfFieldOffsets.SectionChecksum,
                $"stored Adler-32 {stored:x8}, computed {computed:x8}");
        }
        ReadOnlySpan<byte> typeBytes = bytes.Slice(EwfFieldOffsets.SectionType, EwfFieldOffsets.SectionTypeLength);
        int end = typeBytes.IndexOf((byte)0);
        typeBytes = end < 0 ? typeBytes : typeBytes[..end];
        foreach (byte c in typeBytes)
        {
            if (c is < 0x20 or > 0x7E)
            {
                EwfThrowHelper.ThrowInvalid(segment, "section type", offset, "not printable ASCII");
            }
        }
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(bytes[EwfFieldOffsets.SectionNext..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(bytes[EwfFieldOffsets.SectionSize..]);
        if (next > long.MaxValue || size > long.MaxValue)
        {
            EwfThrowHelper.ThrowInvalid(segment, "section descriptor", offset, $"next offset {next} or size {size} out of range");
        }
        return new EwfSectionDescriptor(Encoding.ASCII.GetString(typeBytes), (long)next, (long)size);
    }

    /// <summary>Writes a descriptor with its checksum into the first 76 bytes of <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, string type, long next, long size)
    {
        Span<byte> bytes = destination[..EwfFormat.SectionDescriptorSize];
        bytes.Clear();
        Encoding.ASCII.GetBytes(type, bytes[..EwfFieldOffsets.SectionTypeLength]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[EwfFieldOffsets.SectionNext..], (ulong)next);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[EwfFieldOffsets.SectionSize..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[EwfFieldOffsets.SectionChecksum..], EwfAdler32.Compute(bytes[..EwfFieldOffsets.SectionChecksum]));
    }
}
