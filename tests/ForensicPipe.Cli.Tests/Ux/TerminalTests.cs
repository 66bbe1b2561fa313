using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests.Ux;

/// <summary>The progress line on a terminal, and the warning for a source mounted read-write.</summary>
public class TerminalTests
{
    [Theory]
    [InlineData(60, true)]
    [InlineData(40, false)]
    public void ProgressBar_NarrowTerminal_RedrawnInPlaceNeverWiderThanTheTerminal(int columns, bool bar)
    {
        using var directory = new TempDirectory();
        // A sparse source hashed five times with windows: slow enough for several redraws (every 250 ms).
        ExternalTool.Shell(directory.Path, "truncate -s 160M in.bin");

        string typescript = ExternalTool.Shell(directory.Path,
            $"COLUMNS={columns} script -qec \"dotnet '{FpipeProcess.Dll}' image in.bin out.raw --hash md5,sha1,sha256,sha384,sha512 --window 4K\" /dev/null");

        // The pty ends lines with \r\n (onlcr): that \r is not a redraw.
        string[] lines = [.. typescript.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line)];
        // The progress line is what is drawn after carriage returns; the summary after it (a sha512 is 128
        // columns) is plain lines that the terminal wraps once, which does not scroll anything.
        string[] redraws = [.. lines.Where(line => line.Contains('\r', StringComparison.Ordinal))
            .SelectMany(line => line.Split('\r')).Where(piece => piece.Length > 0)];
        Assert.Contains(redraws, piece => piece.StartsWith('[') == bar && piece.Contains('%', StringComparison.Ordinal));
        Assert.True(lines.Any(line => line.Count(c => c == '\r') >= 2), "the bar was not redrawn in place:\n" + typescript);
        Assert.All(redraws, piece => Assert.True(piece.Length <= columns, $"{piece.Length} columns: '{piece}'"));
        Assert.Contains("succeeded", typescript);
    }

    [Fact]
    public void Image_SourceMountedReadWrite_WarnsAndTheReportRecordsIt()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "truncate -s 16M fs.img && mkfs.ext4 -q -F fs.img && mkdir mnt");
        using var loop = LoopDevice.Attach(directory.File("fs.img"));
        ExternalTool.Shell("/", $"mount {loop.Path} '{directory.File("mnt")}'");
        FpipeProcess.Outcome mounted;
        try
        {
            mounted = FpipeProcess.Run(directory.Path, "image", loop.Path, "copy.raw", "--quiet");
        }
        finally
        {
            ExternalTool.Shell("/", $"umount '{directory.File("mnt")}'");
        }
        FpipeProcess.Outcome unmounted = FpipeProcess.Run(directory.Path, "image", loop.Path, "again.raw", "--quiet");

        Assert.True(mounted.ExitCode == 0, mounted.Stderr);
        Assert.Contains($"fpipe: warning: {loop.Path} is mounted read-write ({loop.Path} at {directory.File("mnt")})", mounted.Stderr);
        JsonNode section = JsonNode.Parse(File.ReadAllText(directory.File("copy.raw.report.json")))!["sourceMounts"]!;
        Assert.True((bool?)section["mountedReadWrite"]);
        Assert.Equal(directory.File("mnt"), (string?)section["mounts"]![0]!["mountPoint"]);
        Assert.Equal(0, unmounted.ExitCode);
        Assert.DoesNotContain("mounted", unmounted.Stderr);
        Assert.Null(JsonNode.Parse(File.ReadAllText(directory.File("again.raw.report.json")))!["sourceMounts"]);
    }
}
