using System.ComponentModel;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>Where the report goes and the case it belongs to.</summary>
public sealed class ReportSpec
{
    /// <summary>Report path; default: the first raw-file output + <c>.report.json</c>.</summary>
    [Description("The JSON report's path (a .txt rendering goes beside it). Default: the first raw-file output's path + .report.json, or the job file's name + .report.json.")]
    public string? Path { get; init; }

    /// <summary>Replace an existing report (raw-file sinks with <c>overwrite</c> imply it).</summary>
    [Description("Replace an existing report. A raw-file sink with \"overwrite\": true implies it.")]
    public bool Overwrite { get; init; }

    /// <summary>Case metadata copied into the report.</summary>
    [Description("Case metadata copied into the report.")]
    public CaseSpec? Case { get; init; }
}

/// <summary>Case metadata, as examiners record it (FTK Imager, Guymager, ewfacquire).</summary>
public sealed class CaseSpec
{
    /// <summary>Case number.</summary>
    [Description("Case number.")]
    public string? Number { get; init; }

    /// <summary>Evidence number.</summary>
    [Description("Evidence number.")]
    public string? Evidence { get; init; }

    /// <summary>Examiner's name.</summary>
    [Description("Examiner's name.")]
    public string? Examiner { get; init; }

    /// <summary>What the evidence is (as ewfacquire's and FTK Imager's description).</summary>
    [Description("What the evidence is, e.g. 'USB stick, SanDisk, found in the desk drawer'.")]
    public string? Description { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free text.")]
    public string? Notes { get; init; }
}

/// <summary>Telemetry exporters the CLI wires.</summary>
public sealed class TelemetrySpec
{
    /// <summary>Print spans and metrics on standard error.</summary>
    [Description("Print spans and metrics on standard error.")]
    public bool Console { get; init; }

    /// <summary>OTLP/gRPC endpoint, e.g. http://127.0.0.1:4317.</summary>
    [Description("OTLP endpoint (gRPC), for example http://127.0.0.1:4317.")]
    public Uri? OtlpEndpoint { get; init; }
}
