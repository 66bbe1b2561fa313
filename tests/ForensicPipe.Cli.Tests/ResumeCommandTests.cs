using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

/// <summary><c>fpipe image DEV OUT --mapfile M --resume</c> after <c>kill -9</c>, on loop devices (as root).</summary>
public class ResumeCommandTests
{
    private const int Kills = 3;

    /// <summary>The source device's size: read 4 KiB at a time it must outlast the 2 s mapfile interval plus a
    /// kill delay on a quiet machine too (128 MiB finished before the first kill there).</summary>
    private const long DeviceSize = 512L << 20;

    private static string Digest(string folder, string sidecar) => File.ReadAllText(Path.Combine(folder, sidecar)).Split(' ')[0];

    /// <summary>Starts a resumable copy read 4 KiB at a time (slow enough to be killed mid-way), waits until its
    /// session <paramref name="session"/> is in the mapfile, lets it run <paramref name="delay"/> more, and kills
    /// it with SIGKILL. False when it had already finished.</summary>
    private static bool RunAndKill(string folder, string device, TimeSpan delay, int session)
    {
        using Process process = Process.Start(FpipeProcess.StartInfo(folder,
            ["image", device, "out.raw", "--mapfile", "m", "--hash", "md5,sha256", "--buffer-size", "4096", "--resume", "--quiet"]))!;
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        DateTime deadline = DateTime.UtcNow.AddMinutes(2);
        while (!process.HasExited && DateTime.UtcNow < deadline && !HasSession(Path.Combine(folder, "m"), session))
        {
            Thread.Sleep(20);
        }
        Thread.Sleep(delay);
        if (process.HasExited)
        {
            Assert.True(process.ExitCode == 0, $"the copy failed before it was killed: {stderr.Result}");
            return false;
        }
        process.Kill();
        process.WaitForExit();
        return true;
    }

    private static bool HasSession(string mapfile, int session)
    {
        try
        {
            return File.ReadAllText(mapfile).Contains($"\"session\":{session},", StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    [Fact]
    public void Resume_AfterKill9AtRandomPoints_OutputAndEveryDigestEqualAnUninterruptedRun()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, $"head -c {DeviceSize} /dev/urandom > backing.img");
        string backing = directory.File("backing.img");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        using (var loop = LoopDevice.Attach(backing))
        {
            FpipeProcess.Outcome reference = FpipeProcess.Run(directory.Path, "image", loop.Path, "ref.raw", "--hash", "md5,sha256", "--quiet");
            Assert.Equal(0, reference.ExitCode);

            int killed = 0;
            for (int i = 0; i < Kills; i++)
            {
                // Past the 2 s mapfile interval, so that every session leaves progress for the next.
                var delay = TimeSpan.FromMilliseconds(random.Next(2300, 4500));
                if (!RunAndKill(directory.Path, loop.Path, delay, i + 1))
                {
                    break;
                }
                killed++;
                // Crash safety: nothing under a final name, no report that claims anything, a mapfile ddrescue reads.
                Assert.False(File.Exists(directory.File("out.raw")), $"seed {seed}: out.raw exists after kill {killed}");
                Assert.False(File.Exists(directory.File("out.raw.report.json")), $"seed {seed}: a final report after kill {killed}");
                Assert.False(File.Exists(directory.File("out.raw.md5")), $"seed {seed}: a sidecar after kill {killed}");
                Assert.Equal("running", (string?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json.partial")))!["outcome"]);
                Assert.Contains("current status: copying", ExternalTool.Shell(directory.Path, "ddrescuelog -t m"));
            }
            Assert.True(killed > 0, $"seed {seed}: every copy finished before it could be killed; the source is too fast for this test");

            FpipeProcess.Outcome resumed = FpipeProcess.Run(directory.Path, "image", loop.Path, "out.raw", "--mapfile", "m", "--hash", "md5,sha256",
                "--resume", "--quiet");

            Assert.True(resumed.ExitCode == 0, $"seed {seed}: {resumed.Stderr}");
            ExternalTool.Shell(directory.Path, "cmp ref.raw out.raw && cmp backing.img out.raw && md5sum -c out.raw.md5 && sha256sum -c out.raw.sha256");
            Assert.Equal(Digest(directory.Path, "ref.raw.md5"), Digest(directory.Path, "out.raw.md5"));
            Assert.Equal(Digest(directory.Path, "ref.raw.sha256"), Digest(directory.Path, "out.raw.sha256"));
            JsonNode afterRun = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!["source"]!["afterRun"]!;
            JsonArray sessions = afterRun["sessions"]!.AsArray();
            Assert.Equal(killed + 1, sessions.Count);
            Assert.All(sessions.Take(killed), s => Assert.StartsWith("interrupted", (string?)s!["outcome"]));
            Assert.Equal("read to the end", (string?)sessions[^1]!["outcome"]);
            long reRead = (long)afterRun["resume"]!["bytesReReadFromOutput"]!;
            Assert.True(reRead > 0, $"seed {seed}: nothing was taken over from the killed runs");
            Assert.Equal(reRead, (long)sessions[^1]!["resumedFrom"]!);
            Assert.Equal(DeviceSize - reRead, (long)sessions[^1]!["bytesRead"]!);
            Assert.Contains("current status: finished", ExternalTool.Shell(directory.Path, "ddrescuelog -t m"));
        }
        Assert.Equal("", LoopDevice.AttachedTo(backing));
    }

    [Fact]
    public void Resume_MapfileOfAnotherDevice_RefusedWithExitCode2AndNothingChanged()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 64M /dev/urandom > a.img && truncate -s 64M b.img");
        using (var first = LoopDevice.Attach(directory.File("a.img")))
        using (var second = LoopDevice.Attach(directory.File("b.img")))
        {
            Assert.True(RunAndKill(directory.Path, first.Path, TimeSpan.FromMilliseconds(300), 1), "the copy finished before it could be killed");
            string mapfile = File.ReadAllText(directory.File("m"));
            long partial = new FileInfo(directory.File("out.raw.partial")).Length;

            FpipeProcess.Outcome refused = FpipeProcess.Run(directory.Path, "image", second.Path, "out.raw", "--mapfile", "m", "--resume");

            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("belongs to another acquisition", refused.Stderr);
            Assert.Contains(first.Path, refused.Stderr);
            Assert.Equal(mapfile, File.ReadAllText(directory.File("m")));
            Assert.Equal(partial, new FileInfo(directory.File("out.raw.partial")).Length);

            FpipeProcess.Outcome otherOutput = FpipeProcess.Run(directory.Path, "image", first.Path, "other.raw", "--mapfile", "m", "--resume");

            Assert.Equal(2, otherOutput.ExitCode);
            Assert.Contains("it was written for the output", otherOutput.Stderr);
        }
    }
}
