namespace ForensicPipe.Devices.Rescue;

/// <summary>A mapfile as read (<see cref="DdrescueMapfile.Parse(string)"/>).</summary>
/// <param name="Map">The areas.</param>
/// <param name="CurrentPosition">The status line's <c>current_pos</c>.</param>
/// <param name="CurrentStatus">The status line's <c>current_status</c>: <c>+</c> when the run finished.</param>
/// <param name="Comments">Every comment line, without its <c>#</c>.</param>
public sealed record ParsedMapfile(RescueMap Map, long CurrentPosition, char CurrentStatus, IReadOnlyList<string> Comments)
{
    /// <summary>The run that wrote it read to the end (status line <c>+</c>).</summary>
    public bool Finished => CurrentStatus == DdrescueMapfile.Finished;
}
