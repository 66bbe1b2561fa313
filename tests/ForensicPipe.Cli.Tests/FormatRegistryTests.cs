using System.Text.RegularExpressions;
using ForensicPipe.Core.Jobs;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Tests;

/// <summary>The format registry is the one list: the shipped schema, job loading and the verbs follow it,
/// and an input that can be read once is opened once.</summary>
public sealed partial class FormatRegistryTests(PartcloneImageFixture fixture) : IClassFixture<PartcloneImageFixture>
{
    [Fact]
    public void Schema_ShippedInSamples_EqualsTheGeneratedSchema()
    {
        string shipped = File.ReadAllText(Path.Combine(RepositoryRoot.Samples, "job.schema.json"));

        Assert.Equal(JobSchema.Generate(FpipeServices.Default.JobComponents), shipped);
    }

    [Fact]
    public void Schema_SourceTypes_AreTheBuiltInOnesPlusEveryRegisteredFormat()
    {
        string schema = JobSchema.Generate(FpipeServices.Default.JobComponents);
        string sources = schema[schema.IndexOf("\"source\"", StringComparison.Ordinal)..schema.IndexOf("\"stages\"", StringComparison.Ordinal)];

        string[] listed = [.. ConstType().Matches(sources).Select(match => match.Groups[1].Value).Order()];
        // Plus the sources made of images: the composite disk and the Clonezilla folder (docs/architecture.md, "Composite disk").
        string[] expected = [.. ImageFormatRegistry.Default.Formats.Select(format => format.Type).Append("file").Append("device")
            .Append("disk").Append("clonezilla").Order()];

        Assert.Equal(expected, listed);
    }

    [Fact]
    public void Samples_EveryJobFile_Validates()
    {
        string[] jobs = Directory.GetFiles(RepositoryRoot.Samples, "*.job.json");

        Assert.NotEmpty(jobs);
        foreach (string job in jobs)
        {
            JobLoader.Load(job, FpipeServices.Default.JobComponents);
        }
    }

    [Fact]
    public void Verify_Fifo_IsOpenedOnce()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "mkfifo image.fifo");

        // strace sees every open(2) of the FIFO: detection and the reader share the one open.
        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File("ext4.pc")}' > image.fifo & " +
            $"strace -f -qq -e trace=openat -o trace.txt dotnet '{FpipeProcess.Dll}' verify image.fifo --report r.json --quiet; echo \"exit=$?\"; wait");
        string[] opens = [.. File.ReadAllLines(directory.File("trace.txt")).Where(line => line.Contains("image.fifo\"", StringComparison.Ordinal))];

        Assert.Contains("exit=0", output);
        Assert.Single(opens);
    }

    [Fact]
    public void Info_StandardInput_ReadsTheBytesDetectionConsumed()
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"cat '{fixture.File("ext4.pc")}' | dotnet '{FpipeProcess.Dll}' info - --json; echo \"exit=$?\"");

        Assert.Contains("exit=0", output);
        Assert.Contains("\"format\": \"partclone\"", output);
    }

    [GeneratedRegex("\"const\": \"([a-z0-9-]+)\"")]
    private static partial Regex ConstType();
}
