using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>A job: one source, a chain of stages, one or more sinks, the report and telemetry.</summary>
[Description("A ForensicPipe job: one source, a chain of stages, one or more sinks.")]
public sealed class JobSpec
{
    /// <summary>The schema this file follows, for editors; not used.</summary>
    [JsonPropertyName("$schema")]
    [Description("The JSON Schema this file follows (for editors); ignored when running.")]
    public string? Schema { get; init; }

    /// <summary>Where the data comes from.</summary>
    [Description("Where the data comes from.")]
    public required SourceSpec Source { get; init; }

    /// <summary>Stages in order. Hash stages always see the final stream (after fill).</summary>
    [Description("Stages in order: verify and fill transform the stream; hash stages see its final form.")]
    public IReadOnlyList<StageSpec> Stages { get; set; } = [];

    /// <summary>Where the data goes; at least one.</summary>
    [Description("Where the data goes; at least one.")]
    public required IReadOnlyList<SinkSpec> Sinks { get; init; }

    /// <summary>The evidence report.</summary>
    [Description("The evidence report.")]
    public ReportSpec? Report { get; init; }

    /// <summary>Telemetry exporters.</summary>
    [Description("Telemetry exporters.")]
    public TelemetrySpec? Telemetry { get; init; }

    /// <summary>Bytes per pipeline buffer (default 1 MiB).</summary>
    [Description("Bytes per pipeline buffer: 4096 to 67108864, a multiple of 4096 (default 1048576).")]
    public int? BufferSize { get; init; }
}
