namespace ForensicPipe.Core.Jobs;

/// <summary>What decides the report's final name (<see cref="Reporting.ReportPlacement.Choose"/>).</summary>
/// <param name="WritesReport">False: the run writes no report (a check with nowhere writable to put one).</param>
/// <param name="FollowsOutput">The report is named after the first raw-file output (no path was given).</param>
/// <param name="Overwrite">An earlier report of that name may be replaced.</param>
/// <param name="Started">When the run started: a taken name gets this time in it.</param>
internal sealed record ReportPlacementRequest(bool WritesReport, bool FollowsOutput, bool Overwrite, DateTimeOffset Started);
