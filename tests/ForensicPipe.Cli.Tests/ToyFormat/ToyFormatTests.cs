using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Tests.ToyFormat;

/// <summary>
/// A format added through the registry alone: the verbs and job files serve it with nothing changed
/// outside this folder. The commands run in this process (they write to Console), so not in parallel
/// with other tests that capture it.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class ToyFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FpipeServices _services = new(new ImageFormatRegistry([ToyFormat.Instance]));
    private readonly byte[] _data = new byte[3 * ToyImage.BlockSize + 123];

    public ToyFormatTests()
    {
        new Random(7).NextBytes(_data);
        File.WriteAllBytes(_temp.File("a.toy"), ToyImage.Create(_data));
    }

    [Fact]
    public async Task Info_ToyImage_ShowsTheFormatAndItsDetails()
    {
        (int exit, string stdout, _) = await ConsoleCapture.RunAsync(_services, "info", _temp.File("a.toy"), "--json");

        Assert.Equal(0, exit);
        Assert.Contains("\"format\": \"toy\"", stdout);
        Assert.Contains("\"blocks\": 4", stdout);
    }

    [Fact]
    public async Task Verify_ToyImage_PassesAndCatchesAFlippedByte()
    {
        string report = _temp.File("verify.json");
        (int good, _, _) = await ConsoleCapture.RunAsync(_services, "verify", _temp.File("a.toy"), "--report", report, "--quiet");
        byte[] image = File.ReadAllBytes(_temp.File("a.toy"));
        image[16 + ToyImage.BlockSize + 4 + 10] ^= 1;
        File.WriteAllBytes(_temp.File("b.toy"), image);
        (int bad, _, string stderr) = await ConsoleCapture.RunAsync(_services, "verify", _temp.File("b.toy"), "--report", _temp.File("bad.json"), "--quiet");

        Assert.Equal(0, good);
        Assert.Equal(3, bad);
        Assert.Contains("toy sum 1", stderr);
    }

    [Fact]
    public async Task Restore_ToyImage_WritesTheData()
    {
        (int exit, _, _) = await ConsoleCapture.RunAsync(_services, "restore", _temp.File("a.toy"), _temp.File("out.raw"), "--quiet");

        Assert.Equal(0, exit);
        Assert.Equal(_data, File.ReadAllBytes(_temp.File("out.raw")));
    }

    [Fact]
    public async Task Run_JobFileNamingToy_RestoresVerifiedAndTheSchemaListsIt()
    {
        File.WriteAllText(_temp.File("toy.job.json"), """
            { "source": { "type": "toy", "path": "a.toy" },
              "stages": [ { "type": "verify" }, { "type": "hash", "algorithms": ["sha256"] } ],
              "sinks": [ { "type": "raw-file", "path": "job.raw" } ] }
            """);

        (int exit, _, _) = await ConsoleCapture.RunAsync(_services, "run", _temp.File("toy.job.json"), "--quiet");
        (_, string schema, _) = await ConsoleCapture.RunAsync(_services, "schema");

        Assert.Equal(0, exit);
        Assert.Equal(_data, File.ReadAllBytes(_temp.File("job.raw")));
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_data)), File.ReadAllText(_temp.File("job.raw.sha256")));
        Assert.Contains("\"const\": \"toy\"", schema);
        Assert.DoesNotContain("\"const\": \"partclone\"", schema);
    }

    public void Dispose() => _temp.Dispose();
}
