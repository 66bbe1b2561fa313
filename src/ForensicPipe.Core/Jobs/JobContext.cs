namespace ForensicPipe.Core.Jobs;

/// <summary>Where a job comes from, for resolving its paths and naming its report.</summary>
/// <param name="BaseDirectory">Relative paths in the job are relative to this folder.</param>
/// <param name="JobName">The job file's name, or a description such as <c>fpipe image</c>.</param>
/// <param name="DefaultReportPath">Report path when neither the job nor a raw-file sink gives one.</param>
public sealed record JobContext(string BaseDirectory, string JobName, string DefaultReportPath)
{
    /// <summary>The job's case metadata (<c>report.case</c>), for sinks that store it (an E01 container).</summary>
    public Specs.CaseSpec? Case { get; init; }

    /// <summary>The context of a job file: paths relative to its folder, report named after it
    /// (<c>NAME.job.json</c> or <c>NAME.json</c> → <c>NAME.report.json</c>).</summary>
    public static JobContext ForJobFile(string jobFile)
    {
        string full = Path.GetFullPath(jobFile);
        string directory = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        string stem = name.EndsWith(".job.json", StringComparison.OrdinalIgnoreCase) ? name[..^".job.json".Length]
            : Path.GetFileNameWithoutExtension(name);
        return new JobContext(directory, name, Path.Combine(directory, stem + ".report.json"));
    }

    /// <summary>The job's source, already made from its input by whoever built the job (a CLI verb that
    /// detected the image's format hands over the source it opened, so that standard input, a FIFO or a
    /// decompressed stream is read once); null: the source is made from the job's source spec. The run
    /// takes it over and disposes of it.</summary>
    public Pipeline.IExtentSource? OpenedSource { get; init; }

    /// <summary>Whether the run writes its report (false: a read-only check with nowhere writable to put one;
    /// the result still carries the report's content).</summary>
    public bool WritesReport { get; init; } = true;

    /// <summary>Sections the caller adds to the report (e.g. the CLI's <c>sourceMounts</c>), copied in at the start.</summary>
    public System.Text.Json.Nodes.JsonObject? ReportAdditions { get; init; }

    /// <summary>Resolves <paramref name="path"/> against <see cref="BaseDirectory"/> (<c>-</c> stays stdin).</summary>
    public string Resolve(string path) => path == Sources.FileSource.StandardInput ? path : Path.GetFullPath(path, BaseDirectory);
}
