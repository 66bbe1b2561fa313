namespace ForensicPipe.Cli.Tests;

public class JobFileTests
{
    [Fact]
    public void Run_BundledSampleJob_SucceedsWithTheKnownDigests()
    {
        using var directory = new TempDirectory();
        foreach (string file in Directory.GetFiles(RepositoryRoot.Samples, "*.j*"))
        {
            File.Copy(file, directory.File(Path.GetFileName(file)));
        }
        File.Copy(Path.Combine(RepositoryRoot.Samples, "evidence.raw"), directory.File("evidence.raw"));

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "evidence-copy.job.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sha256  6b9f7c42145ad27f6b7cdfa33fcdd0853f89de88bc95d764fe3f1f7ab5205f60", run.Stderr);
        ExternalTool.Shell(directory.Path, "sha256sum -c evidence-copy.raw.sha256 && cmp evidence.raw evidence-copy.raw");
    }

    [Theory]
    [InlineData("{ \"source\": ", "malformed JSON")]
    [InlineData("""{ "source": { "type": "floppy", "path": "a" }, "sinks": [ { "type": "null" } ] }""", "bad.job.json: $.source: unknown type 'floppy'")]
    [InlineData("""{ "source": { "type": "file", "path": "a" }, "stages": [ { "type": "hash", "algorithms": ["md5"], "window": -1 } ], "sinks": [ { "type": "null" } ] }""", "bad.job.json: $.stages[0].window: -1 is not a positive number of bytes")]
    public void RunAndValidate_InvalidJob_Exit2WithFileAndPath(string json, string expected)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("bad.job.json"), json);

        foreach (string verb in new[] { "validate", "run" })
        {
            FpipeProcess.Outcome outcome = FpipeProcess.Run(directory.Path, verb, "bad.job.json");

            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains(expected, outcome.Stderr);
            Assert.Single(outcome.Stderr.Trim().Split('\n'));
        }
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Schema_PrintsTheShippedSchema()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome outcome = FpipeProcess.Run(directory.Path, "schema");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Samples, "job.schema.json")), outcome.Stdout);
    }
}
