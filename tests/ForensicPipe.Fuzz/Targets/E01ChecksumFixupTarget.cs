using System.Buffers.Binary;
using System.Text;
using ForensicPipe.Formats.Ewf;
using static ForensicPipe.Formats.Ewf.EwfFieldOffsets;

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
    private const int MaxSections = 4096;

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
        long at = EwfFormat.FileHeaderSize;
        for (int i = 0; i < MaxSections && Inside(image, at, EwfFormat.SectionDescriptorSize); i++)
        {
            int section = (int)at;
            Store(image, section + SectionChecksum, EwfAdler32.Compute(image.AsSpan(section, SectionChecksum)));
            string type = Encoding.ASCII.GetString(image, section + SectionType, SectionTypeLength).TrimEnd('\0');
            FixPayload(image, type, section + EwfFormat.SectionDescriptorSize);
            ulong next = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(section + SectionNext));
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
            case "volume" or "data" when Inside(image, payload, VolumeChecksum + sizeof(uint)):
                Store(image, payload + VolumeChecksum, EwfAdler32.Compute(image.AsSpan(payload, VolumeChecksum)));
                break;
            case "table" or "table2" when Inside(image, payload, EwfFormat.TableHeaderSize):
                Store(image, payload + TableHeaderChecksum, EwfAdler32.Compute(image.AsSpan(payload, TableHeaderChecksum)));
                FixEntries(image, payload + EwfFormat.TableHeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(payload + TableEntryCount)) * (long)EwfFormat.TableEntrySize);
                break;
            case "error2" when Inside(image, payload, EwfFormat.Error2HeaderSize):
                Store(image, payload + Error2HeaderChecksum, EwfAdler32.Compute(image.AsSpan(payload, Error2HeaderChecksum)));
                FixEntries(image, payload + EwfFormat.Error2HeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(payload + Error2EntryCount)) * (long)EwfFormat.Error2EntrySize);
                break;
            case "digest" when Inside(image, payload, DigestChecksum + sizeof(uint)):
                Store(image, payload + DigestChecksum, EwfAdler32.Compute(image.AsSpan(payload, DigestChecksum)));
                break;
            case "hash" when Inside(image, payload, HashChecksum + sizeof(uint)):
                Store(image, payload + HashChecksum, EwfAdler32.Compute(image.AsSpan(payload, HashChecksum)));
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
