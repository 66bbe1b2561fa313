namespace ForensicPipe.Formats.Ewf;

/// <summary>Sizes, names and limits of the Expert Witness (EWF-E01, EnCase 6) format (docs/formats/e01.md).</summary>
internal static class EwfFormat
{
    /// <summary>Format name in reports and errors.</summary>
    public const string Name = "e01";

    /// <summary>File header: signature (8), fields start 0x01, segment number (2), fields end (2).</summary>
    public const int FileHeaderSize = 13;

    /// <summary>Every section starts with a 76-byte descriptor.</summary>
    public const int SectionDescriptorSize = 76;

    /// <summary>The volume (and data) section's payload after the descriptor.</summary>
    public const int VolumeDataSize = 1052;

    /// <summary>Table header: entry count, padding, base offset, padding, Adler-32.</summary>
    public const int TableHeaderSize = 24;

    /// <summary>One table entry: a 32-bit chunk offset relative to the table's base offset.</summary>
    public const int TableEntrySize = 4;

    /// <summary>The most significant bit of a table entry marks a compressed chunk.</summary>
    public const uint CompressedFlag = 0x8000_0000;

    /// <summary>The rest of a table entry is an offset: chunks of one table lie within 2 GiB of its base.</summary>
    public const uint OffsetMask = 0x7FFF_FFFF;

    /// <summary>Entries per table EnCase 6 and libewf write (larger sets get more sectors/table pairs).</summary>
    public const int MaxTableEntries = 65534;

    /// <summary>Entries per table this reader accepts: far above any writer's, low enough to bound memory.</summary>
    public const int ReadMaxTableEntries = 1 << 20;

    /// <summary>Digest section payload: MD5 (16), SHA-1 (20), padding (40), Adler-32 (4).</summary>
    public const int DigestDataSize = 80;

    /// <summary>Hash section payload: MD5 (16), unknown (16), Adler-32 (4).</summary>
    public const int HashDataSize = 36;

    /// <summary>error2 header: entry count (4), padding (512), Adler-32 (4).</summary>
    public const int Error2HeaderSize = 520;

    /// <summary>error2 entry: first sector (4), sector count (4).</summary>
    public const int Error2EntrySize = 8;

    /// <summary>Largest chunk accepted: 32768 sectors of 512 bytes, ewfacquire's largest (<c>-b 32768</c>).</summary>
    public const int MaxChunkSize = 16 << 20;

    /// <summary>Largest header or header2 section accepted (compressed and decompressed): real ones are &lt; 4 KiB.</summary>
    public const int MaxHeaderSectionSize = 1 << 20;

    /// <summary>Largest bytes per sector accepted.</summary>
    public const int MaxBytesPerSector = 4096;

    /// <summary>Segment numbers are 16-bit; names end at .ZZZ (E01–E99, then EAA–ZZZ: 99 + 22 × 26 × 26).</summary>
    public const int MaxSegments = 99 + (22 * 26 * 26);

    /// <summary>The file signature, <c>EVF\x09\x0d\x0a\xff\x00</c>.</summary>
    public static ReadOnlySpan<byte> Signature => [(byte)'E', (byte)'V', (byte)'F', 0x09, 0x0D, 0x0A, 0xFF, 0x00];

    /// <summary>Section type names (16 bytes, NUL-padded, in the descriptor).</summary>
    public static class Sections
    {
        public const string Header2 = "header2";
        public const string Header = "header";
        public const string Volume = "volume";
        public const string Disk = "disk";
        public const string Data = "data";
        public const string SectorsName = "sectors";
        public const string Table = "table";
        public const string Table2 = "table2";
        public const string Error2 = "error2";
        public const string Digest = "digest";
        public const string Hash = "hash";
        public const string Next = "next";
        public const string Done = "done";
    }
}
