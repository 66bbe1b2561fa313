namespace ForensicPipe.Devices.Restore;

/// <summary>How a <see cref="DeviceSink"/> writes (the job's <c>device</c> sink, or <c>fpipe restore … --yes</c>).</summary>
public sealed record DeviceSinkOptions
{
    /// <summary>Byte offset on the target where partition byte 0 goes.</summary>
    public long Offset { get; init; }

    /// <summary>Read the written ranges back and compare their hash with what was sent.</summary>
    public bool Verify { get; init; }

    /// <summary>Accept a regular file as the target.</summary>
    public bool AllowFile { get; init; }

    /// <summary>Where the refusal is reported (<c>fpipe restore</c>, the job file).</summary>
    public string JobName { get; init; } = "(job)";

    /// <summary>JSON path of the sink in the job, for refusals.</summary>
    public string JsonPath { get; init; } = "$.sinks[0]";
}
