namespace ForensicPipe.Formats.Ewf;

/// <summary>Byte offsets of the fields of the EWF structures, each relative to the start of its structure
/// (docs/formats/e01.md). All integers are little-endian.</summary>
internal static class EwfFieldOffsets
{
    // File header (13 bytes).
    public const int FileSignature = 0;
    public const int FileFieldsStart = 8;
    public const int FileSegmentNumber = 9;
    public const int FileFieldsEnd = 11;

    // Section descriptor (76 bytes).
    public const int SectionType = 0;
    public const int SectionTypeLength = 16;
    public const int SectionNext = 16;
    public const int SectionSize = 24;
    public const int SectionPadding = 32;
    public const int SectionChecksum = 72;

    // Volume / data section payload (1052 bytes).
    public const int VolumeMediaType = 0;
    public const int VolumeChunkCount = 4;
    public const int VolumeSectorsPerChunk = 8;
    public const int VolumeBytesPerSector = 12;
    public const int VolumeSectorCount = 16;
    public const int VolumeChsCylinders = 24;
    public const int VolumeChsHeads = 28;
    public const int VolumeChsSectors = 32;
    public const int VolumeMediaFlags = 36;
    public const int VolumePalmStartSector = 40;
    public const int VolumeSmartLogsStartSector = 48;
    public const int VolumeCompressionLevel = 52;
    public const int VolumeErrorGranularity = 56;
    public const int VolumeGuid = 64;
    public const int VolumeGuidLength = 16;
    public const int VolumeSignature = 1043;
    public const int VolumeChecksum = 1048;

    // Table header (24 bytes), then the entries, then the entries' Adler-32.
    public const int TableEntryCount = 0;
    public const int TableBaseOffset = 8;
    public const int TableHeaderChecksum = 20;

    // Digest payload (80 bytes).
    public const int DigestMd5 = 0;
    public const int DigestSha1 = 16;
    public const int DigestChecksum = 76;

    // Hash payload (36 bytes).
    public const int HashMd5 = 0;
    public const int HashChecksum = 32;

    // error2 header (520 bytes), then entries (8 bytes each), then the entries' Adler-32.
    public const int Error2EntryCount = 0;
    public const int Error2HeaderChecksum = 516;
    public const int Error2EntryStartSector = 0;
    public const int Error2EntrySectorCount = 4;
}
