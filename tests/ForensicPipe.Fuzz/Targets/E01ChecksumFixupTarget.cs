using System.Buffers.Binary;
using System.Text;
using ForensicPipe.Formats.Ewf;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// One E01 segment with its Adler-32s recomputed after mutation (docs/formats/e01.md, "Sections"): every section
/// descriptor reached through the next offsets, and the payload checksums of volume/data, table/table2 (header and
/// entries), error2 (header and entries), digest and hash sections. Uncompressed chunks keep their own Adler-32 and
/// zlib streams their trailer, so a mutated chunk is still a checksum mismatch; without this, a mutated descriptor,
/// volume or table stops at its checksum and the field checks behind it (sizes, counts, offsets, the table's
/// entries) are never tried. The walk stops at a next offset that does not move forward or leaves the input.
/// </summary>
public sealed class E01ChecksumFixupTarget : ChecksumFixupTarget
{
    private const int FileHeaderSize = 13;
    private const int DescriptorSize = 76;
    private const int DescriptorChecked = 72;
    private const int TypeLength = 16;
    private const int NextOffset = 16;
    private const int MaxSections = 4096;

    // docs/formats/e01.md, "Sections": payload sizes and where each payload keeps its Adler-32.
    private const int VolumePayloadChecked = 1048;
    private const int TableHeaderChecked = 20;
    private const int TableHeaderSize = 24;
    private const int Error2HeaderChecked = 516;
    private const int Error2HeaderSize = 520;
    private const int Error2EntrySize = 8;
    private const int DigestChecked = 76;
    private const int HashChecked = 32;

    /// <summary>The target, reading as the <c>e01</c> target.</summary>
    public E01ChecksumFixupTarget()
        : base(new ImageFormatTarget("e01", E01Format.Instance, "image.E01"))
    {
    }

    /// <inheritdoc />
    public override string Name => "e01-adler";

    /// <inheritdoc />
    public override string Description => "E01 with section descriptor and payload Adler-32s recomputed, then as the e01 target";

    /// <inheritdoc />
    /// <remarks>Every section reached from the file header.</remarks>
    protected override void FixChecksums(byte[] image)
    {
        long at = FileHeaderSize;
        for (int i = 0; i < MaxSections && Inside(image, at, DescriptorSize); i++)
        {
            int section = (int)at;
            Store(image, section + DescriptorChecked, EwfAdler32.Compute(image.AsSpan(section, DescriptorChecked)));
            string type = Encoding.ASCII.GetString(image, section, TypeLength).TrimEnd('\0');
            FixPayload(image, type, section + DescriptorSize);
            ulong next = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(section + NextOffset));
            if (next <= (ulong)at || next >= (ulong)image.Length)
            {
                return;
            }
            at = (long)next;
        }
    }

    private static void FixPayload(byte[] image, string type, int payload)
    {
        switch (type)
        {
            case "volume" or "data" when Inside(image, payload, VolumePayloadChecked + sizeof(uint)):
                Store(image, payload + VolumePayloadChecked, EwfAdler32.Compute(image.AsSpan(payload, VolumePayloadChecked)));
                break;
            case "table" or "table2" when Inside(image, payload, TableHeaderSize):
                Store(image, payload + TableHeaderChecked, EwfAdler32.Compute(image.AsSpan(payload, TableHeaderChecked)));
                FixEntries(image, payload + TableHeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(payload)) * (long)sizeof(uint));
                break;
            case "error2" when Inside(image, payload, Error2HeaderSize):
                Store(image, payload + Error2HeaderChecked, EwfAdler32.Compute(image.AsSpan(payload, Error2HeaderChecked)));
                FixEntries(image, payload + Error2HeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(payload)) * (long)Error2EntrySize);
                break;
            case "digest" when Inside(image, payload, DigestChecked + sizeof(uint)):
                Store(image, payload + DigestChecked, EwfAdler32.Compute(image.AsSpan(payload, DigestChecked)));
                break;
            case "hash" when Inside(image, payload, HashChecked + sizeof(uint)):
                Store(image, payload + HashChecked, EwfAdler32.Compute(image.AsSpan(payload, HashChecked)));
                break;
        }
    }

    /// <summary>The Adler-32 after <paramref name="length"/> bytes of entries, when they and it are inside the input.</summary>
    private static void FixEntries(byte[] image, int entries, long length)
    {
        if (Inside(image, entries, length + sizeof(uint)))
        {
            Store(image, entries + (int)length, EwfAdler32.Compute(image.AsSpan(entries, (int)length)));
        }
    }

    private static void Store(byte[] image, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), value);

    private static bool Inside(byte[] image, long at, long length) => at >= 0 && length >= 0 && at <= image.Length - length;
}
