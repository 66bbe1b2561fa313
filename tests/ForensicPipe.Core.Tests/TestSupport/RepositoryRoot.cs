namespace ForensicPipe.Core.Tests.TestSupport;

/// <summary>The checkout's root: the folder holding ForensicPipe.sln above the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

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
