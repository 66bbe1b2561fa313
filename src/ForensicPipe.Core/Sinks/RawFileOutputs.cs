using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Sinks;

/// <summary>Makes the consumer of a <c>raw-file</c> sink spec: standard output for <c>-</c>, split pieces, or
/// one file, read back when <c>verify</c> is set; and checks the combinations.</summary>
public static class RawFileOutputs
{
    /// <summary>Whether the spec writes to standard output instead of a file.</summary>
    public static bool IsStandardOutput(RawFileSinkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Path == StandardOutputSink.Path;
    }

    /// <summary>The file output of <paramref name="spec"/> (not <c>-</c>).</summary>
    /// <param name="spec">The sink spec.</param>
    /// <param name="path">Its path resolved against the job's folder.</param>
    /// <param name="algorithms">The job's hash algorithms (digests of each split piece).</param>
    public static IRawFileOutput Create(RawFileSinkSpec spec, string path, IReadOnlyList<string> algorithms)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Split is long split
            ? new SplitRawFileSink(path, split, algorithms, spec.Overwrite, spec.Sparse, spec.Sync, spec.Verify)
            : new RawFileOutput(new RawFileSink(path, spec.Overwrite, spec.Sparse, spec.Sync), spec.Verify);
    }

    /// <summary>The consumer for standard output.</summary>
    public static IExtentConsumer CreateStandardOutput() => new StandardOutputSink();

    /// <summary>Checks the fields of a raw-file sink that only some outputs take.</summary>
    /// <param name="spec">The sink spec.</param>
    /// <param name="at">Its JSON path (<c>$.sinks[0]</c>).</param>
    /// <param name="file">The job file's name, for the error.</param>
    public static void Validate(RawFileSinkSpec spec, string at, string file)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Split is long split && split < SplitRawFileSink.MinPieceSize)
        {
            throw new JobValidationException(file, $"{at}.split", $"{split} is smaller than {SplitRawFileSink.MinPieceSize} bytes");
        }
        if (IsStandardOutput(spec))
        {
            string? field = spec.Split is not null ? "split" : spec.Verify ? "verify" : spec.Sparse ? "sparse" : spec.Sync ? "sync" : spec.Overwrite ? "overwrite" : null;
            if (field is not null)
            {
                throw new JobValidationException(file, $"{at}.{field}", "does not apply to standard output (path \"-\")");
            }
        }
    }
}
