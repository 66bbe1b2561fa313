namespace ForensicPipe.TestSupport;

/// <summary>The checkout's root: the folder holding ForensicPipe.sln above the test binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>The root's full path.</summary>
    public static string Path { get; } = Find();

    /// <summary>tests/fixtures: the scripts that make fixtures with the real tools.</summary>
    public static string Fixtures => System.IO.Path.Combine(Path, "tests", "fixtures");

    /// <summary>samples: the shipped job files, schema and sample evidence.</summary>
    public static string Samples => System.IO.Path.Combine(Path, "samples");

    private static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ForensicPipe.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found above " + AppContext.BaseDirectory);
    }
}
