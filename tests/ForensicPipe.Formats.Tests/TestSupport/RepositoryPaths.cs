namespace ForensicPipe.Formats.Tests.TestSupport;

/// <summary>Folders of the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding ForensicPipe.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/fixtures: the scripts that make fixtures with the real tools.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ForensicPipe.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No ForensicPipe.sln above {AppContext.BaseDirectory}");
    }
}
