namespace ForensicPipe.Formats.Ewf;

/// <summary>The acquisition metadata an E01 container stores in its header and header2 sections.</summary>
public sealed record EwfCaseInfo
{
    /// <summary>Case number (<c>c</c>).</summary>
    public string CaseNumber { get; init; } = "";

    /// <summary>Evidence number (<c>n</c>).</summary>
    public string EvidenceNumber { get; init; } = "";

    /// <summary>Examiner's name (<c>e</c>).</summary>
    public string Examiner { get; init; } = "";

    /// <summary>Description of the evidence (<c>a</c>).</summary>
    public string Description { get; init; } = "";

    /// <summary>Notes (<c>t</c>).</summary>
    public string Notes { get; init; } = "";

    /// <summary>Media model (<c>md</c>).</summary>
    public string Model { get; init; } = "";

    /// <summary>Media serial number (<c>sn</c>).</summary>
    public string SerialNumber { get; init; } = "";

    /// <summary>Acquiring software and version (<c>av</c>; EnCase shows at most 11 characters).</summary>
    public string SoftwareVersion { get; init; } = "";

    /// <summary>Operating system of the acquisition (<c>ov</c>).</summary>
    public string OperatingSystem { get; init; } = "";

    /// <summary>When the acquisition started (<c>m</c>).</summary>
    public DateTimeOffset? AcquiredAt { get; init; }

    /// <summary>The system clock at the acquisition (<c>u</c>).</summary>
    public DateTimeOffset? SystemAt { get; init; }
}
