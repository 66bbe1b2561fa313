using System.CommandLine;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// The E01 output of <c>fpipe image</c> and <c>fpipe restore</c>: an output named <c>NAME.E01</c> (any case) is
/// written as an Expert Witness / EnCase 6 set by the <c>e01</c> sink, with <c>--compression</c>,
/// <c>--segment-size</c> and <c>--sectors-per-chunk</c> as ewfacquire's <c>-c</c>, <c>-S</c> and <c>-b</c>; those
/// options are refused for any other output. docs/cli.md, "E01 outputs"; docs/formats/e01.md.
/// </summary>
internal sealed class E01Output
{
    private const string Extension = ".E01";

    private E01Output(Option<string?> compression, Option<long?> segmentSize, Option<long?> sectorsPerChunk)
    {
        Compression = compression;
        SegmentSize = segmentSize;
        SectorsPerChunk = sectorsPerChunk;
    }

    public Option<string?> Compression { get; }

    public Option<long?> SegmentSize { get; }

    public Option<long?> SectorsPerChunk { get; }

    public IEnumerable<Option> All => [Compression, SegmentSize, SectorsPerChunk];

    /// <summary>The three options of one command.</summary>
    public static E01Output Create() => new(
        new Option<string?>("--compression")
        {
            Description = "E01 output only: zlib compression of its chunks, none, fast (default) or best (as ewfacquire -c); a chunk that does not shrink is stored as it is.",
            CustomParser = result => SizeText.ParseChoice(result, "--compression", "none", "fast", "best"),
        },
        new Option<long?>("--segment-size")
        {
            Description = "E01 output only: largest segment file (NAME.E01, NAME.E02, …), SIZE of at least 1MiB (default 1500MiB, ewfacquire's 1.4 GiB).",
            CustomParser = result => SizeText.Parse(result, "--segment-size"),
        },
        new Option<long?>("--sectors-per-chunk")
        {
            Description = $"E01 output only: sectors per chunk, {string.Join(", ", E01SinkSpec.SectorsPerChunkValues)} (default 64: 32 KiB chunks; as ewfacquire -b).",
            CustomParser = result => SizeText.ParseCount(result, "--sectors-per-chunk"),
        });

    /// <summary>Whether <paramref name="path"/> names an E01 set's first segment file.</summary>
    public static bool IsE01(string path) => path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses the E01 options given for an output that is not <c>NAME.E01</c>.</summary>
    public void RefuseFor(ParseResult parse, string output)
    {
        ArgumentNullException.ThrowIfNull(parse);
        foreach (Option option in All)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw new JobValidationException(CommonOptions.CommandLine, option.Name,
                    $"applies to an E01 output only; {(output == "-" ? "standard output" : output)} does not end in .E01");
            }
        }
    }

    /// <summary>The sink of an E01 output. <c>--split</c> is refused: the set is already cut into segment files.</summary>
    public E01SinkSpec Sink(ParseResult parse, string path, bool overwrite, bool sync, bool verify, Option<long?> split, CaseSpec? caseSpec)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetResult(split) is { Implicit: false })
        {
            throw new JobValidationException(CommonOptions.CommandLine, "--split",
                $"{path} is an E01 set, already cut into segment files (NAME.E01, NAME.E02, …); give their size with --segment-size SIZE");
        }
        long sectors = parse.GetValue(SectorsPerChunk) ?? 64;
        if (!E01SinkSpec.SectorsPerChunkValues.Contains((int)Math.Min(sectors, int.MaxValue)))
        {
            throw new JobValidationException(CommonOptions.CommandLine, "--sectors-per-chunk",
                $"{sectors} is not one of {string.Join(", ", E01SinkSpec.SectorsPerChunkValues)}");
        }
        long segmentSize = parse.GetValue(SegmentSize) ?? E01SinkSpec.DefaultSegmentSize;
        if (segmentSize < E01SinkSpec.MinSegmentSize)
        {
            throw new JobValidationException(CommonOptions.CommandLine, "--segment-size",
                $"{segmentSize} bytes is less than the smallest segment file, 1MiB ({E01SinkSpec.MinSegmentSize} bytes)");
        }
        return new E01SinkSpec
        {
            Path = path,
            Overwrite = overwrite,
            Compression = parse.GetValue(Compression) ?? "fast",
            SegmentSize = segmentSize,
            SectorsPerChunk = (int)sectors,
            Sync = sync,
            Verify = verify,
            Case = caseSpec,
        };
    }
}
