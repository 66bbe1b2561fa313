using System.Text.Json.Serialization;

namespace ForensicPipe.Core.Stages.Verify;

/// <summary>What the verify stage does when a stored checksum does not match.</summary>
public enum MismatchPolicy
{
    /// <summary>End the job at the first mismatch (the default).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>Record every mismatch in the report and go on; the job ends with exit code 3.</summary>
    [JsonStringEnumMemberName("record")]
    Record,
}
