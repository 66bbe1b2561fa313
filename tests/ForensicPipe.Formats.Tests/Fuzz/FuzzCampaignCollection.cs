namespace ForensicPipe.Formats.Tests.Fuzz;

/// <summary>
/// The fuzz campaign measures allocations process-wide (a decoder thread's count too), so it runs alone: xunit runs
/// this collection after the parallel ones, with nothing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCampaignCollection
{
    public const string Name = "fuzz campaign";
}
