using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ForensicPipe.Cli.Tests;

/// <summary>The report names the command as the user typed it and the commit the tool was built from.</summary>
public sealed class ReportProvenanceTests
{
    [Fact]
    public void Image_Report_CommandLineStartsWithFpipeAndToolCarriesBuildCommit()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("in.raw"), new byte[8192]);

        FpipeProcess.Outcome outcome = FpipeProcess.Run(directory.Path, "image", "in.raw", "out.raw", "--quiet");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal(["fpipe", "image", "in.raw", "out.raw", "--quiet"],
            report["commandLine"]!.AsArray().Select(argument => (string?)argument));
        // Built from a git checkout (as the tests always are): the 40-hex-digit commit, as `git rev-parse HEAD` gives it.
        Assert.Matches(new Regex("^[0-9a-f]{40}$"), (string?)report["tool"]!["commit"]);
        Assert.DoesNotContain("+", (string?)report["tool"]!["version"]);
    }
}
