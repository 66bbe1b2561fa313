using ForensicPipe.Core.Jobs;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Ewf;

/// <summary>The <c>e01</c> sink's registration and options; the source is <see cref="E01Format"/>.</summary>
public static class EwfComponents
{
    /// <summary>Format name (<c>e01</c>), as a job source type and in reports.</summary>
    public const string FormatName = EwfFormat.Name;

    /// <summary>Registers the <c>e01</c> sink with <paramref name="components"/>.</summary>
    public static JobComponents RegisterSink(JobComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components.RegisterSink<E01SinkSpec>((spec, context, _) => new EwfSink(context.Resolve(spec.Path), OptionsOf(spec, context)));
    }

    /// <summary>The sink options a spec asks for; case fields it leaves out come from the job's report case.</summary>
    public static EwfSinkOptions OptionsOf(E01SinkSpec spec, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        CaseSpec? own = spec.Case;
        CaseSpec? job = context.Case;
        return new EwfSinkOptions
        {
            Overwrite = spec.Overwrite,
            Sync = spec.Sync,
            Verify = spec.Verify,
            Compression = spec.Compression switch { "none" => EwfCompression.None, "best" => EwfCompression.Best, _ => EwfCompression.Fast },
            SegmentSize = spec.SegmentSize,
            SectorsPerChunk = spec.SectorsPerChunk,
            BytesPerSector = spec.BytesPerSector,
            Case = new EwfCaseInfo
            {
                CaseNumber = own?.Number ?? job?.Number ?? "",
                EvidenceNumber = own?.Evidence ?? job?.Evidence ?? "",
                Examiner = own?.Examiner ?? job?.Examiner ?? "",
                Description = own?.Description ?? job?.Description ?? "",
                Notes = own?.Notes ?? job?.Notes ?? "",
            },
        };
    }
}
