using System.ComponentModel;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>An Expert Witness (EnCase 6) evidence container, <c>NAME.E01</c>, <c>NAME.E02</c>, …, written as
/// <c>.partial</c> files and renamed when the job succeeds (docs/formats/e01.md).</summary>
[Description("An Expert Witness / EnCase 6 evidence container (NAME.E01, NAME.E02, ...), zlib-compressed chunks with their MD5 and SHA-1, written as .partial files and renamed when the job succeeds. Unreadable ranges are stored as zeros and listed in its error2 section.")]
public sealed class E01SinkSpec : SinkSpec
{
    /// <summary>Smallest segment file size, as ewfacquire: 1 MiB.</summary>
    public const long MinSegmentSize = 1L << 20;

    /// <summary>ewfacquire's default segment file size: 1500 MiB (shown as 1.4 GiB).</summary>
    public const long DefaultSegmentSize = 1500L << 20;

    /// <summary>Sectors per chunk ewfacquire offers (<c>-b</c>).</summary>
    public static IReadOnlyList<int> SectorsPerChunkValues { get; } = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];

    /// <summary>The first segment file, <c>NAME.E01</c>; relative to the job file's folder.</summary>
    [Description("The first segment file, NAME.E01 (NAME.E02, ... follow); a relative path is relative to the job file's folder.")]
    public required string Path { get; init; }

    /// <summary>Replace an existing set (and delete the higher-numbered segments of the old one).</summary>
    [Description("Replace an existing set of the same name (later segments of the old set are deleted).")]
    public bool Overwrite { get; init; }

    /// <summary><c>none</c>, <c>fast</c> (zlib level 1, the default) or <c>best</c> (zlib level 9).</summary>
    [Description("none, fast (zlib level 1; default) or best (zlib level 9). A chunk that does not get smaller is stored as it is.")]
    public string Compression { get; set; } = "fast";

    /// <summary>Largest segment file in bytes (default 1500 MiB, as ewfacquire).</summary>
    [Description("Largest segment file in bytes: at least 1048576 (default 1572864000, ewfacquire's 1.4 GiB).")]
    public long SegmentSize { get; set; } = DefaultSegmentSize;

    /// <summary>Sectors per chunk (default 64: 32 KiB chunks of 512-byte sectors).</summary>
    [Description("Sectors per chunk: 16, 32, 64 (default), 128, ... 32768, as ewfacquire -b.")]
    public int SectorsPerChunk { get; set; } = 64;

    /// <summary>Bytes per sector (default 512).</summary>
    [Description("Bytes per sector: 512 (default), 1024, 2048 or 4096.")]
    public int BytesPerSector { get; set; } = 512;

    /// <summary>fsync every segment file before the rename, and the folder after it.</summary>
    [Description("fsync every segment file before it is renamed, and the folder after the rename.")]
    public bool Sync { get; init; }

    /// <summary>Read the written set back past the page cache through the E01 reader and compare the MD5.</summary>
    [Description("After writing, read the segment files back past the page cache through the E01 reader (every chunk checked) and compare the MD5 of the media with what was written; a difference is a mismatch and the set stays .partial.")]
    public bool Verify { get; init; }

    /// <summary>Case metadata stored in the container; fields left out are taken from the report's case.</summary>
    [Description("Case metadata stored in the container; fields left out are taken from report.case.")]
    public CaseSpec? Case { get; init; }

    // Properties with defaults have setters: the source-generated deserializer sets every init-only property,
    // absent ones to default(T), which would lose the initialiser's value.

    /// <summary>Checks the values; <paramref name="at"/> is the sink's JSON path (<c>$.sinks[0]</c>).</summary>
    public void Validate(string file, string at)
    {
        if (string.IsNullOrEmpty(Path))
        {
            throw new JobValidationException(file, $"{at}.path", "must not be empty");
        }
        if (!Path.EndsWith(".E01", StringComparison.OrdinalIgnoreCase))
        {
            throw new JobValidationException(file, $"{at}.path", $"'{Path}' does not end in .E01 (the first segment file's name)");
        }
        if (Compression is not ("none" or "fast" or "best"))
        {
            throw new JobValidationException(file, $"{at}.compression", $"'{Compression}' is not none, fast or best");
        }
        if (SegmentSize < MinSegmentSize)
        {
            throw new JobValidationException(file, $"{at}.segmentSize", $"{SegmentSize} is less than {MinSegmentSize} bytes");
        }
        if (!SectorsPerChunkValues.Contains(SectorsPerChunk))
        {
            throw new JobValidationException(file, $"{at}.sectorsPerChunk", $"{SectorsPerChunk} is not one of {string.Join(", ", SectorsPerChunkValues)}");
        }
        if (BytesPerSector is not (512 or 1024 or 2048 or 4096))
        {
            throw new JobValidationException(file, $"{at}.bytesPerSector", $"{BytesPerSector} is not 512, 1024, 2048 or 4096");
        }
    }
}
