using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Unpacks the committed partclone 0.3.47 images (<c>tests/fixtures/partclone-0.3.47/*.tar.xz</c>) into a
/// temporary folder once per test run. Needs tar and xz, not partclone 0.3.47.
/// </summary>
public sealed class Partclone047Fixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"fpipe-partclone047-{Guid.NewGuid():N}");

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        IEnumerable<string> archives = Partclone047Manifest.Instance.Images.Select(image => image.Archive).Distinct();
        await Task.WhenAll(archives.Select(archive => ExternalTool.RunCheckedAsync("tar",
            ["-xJf", Path.Combine(Partclone047Manifest.Folder, archive), "-C", Directory])));
    }

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(Directory) && Environment.GetEnvironmentVariable("FPIPE_KEEP_FIXTURES") != "1")
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class Partclone047Collection : ICollectionFixture<Partclone047Fixture>
{
    public const string Name = "partclone 0.3.47 images";
}
