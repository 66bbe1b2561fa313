using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests;

/// <summary><c>fpipe image</c> of block devices and <c>fpipe devices</c>, on loop devices (as root).</summary>
public class DeviceCommandTests
{
    private static string Backing(TempDirectory directory, string size = "6M")
    {
        ExternalTool.Shell(directory.Path, $"head -c {size} /dev/urandom > backing.img");
        return directory.File("backing.img");
    }

    private static JsonNode Report(TempDirectory directory, string name = "out.raw.report.json") =>
        JsonNode.Parse(File.ReadAllText(directory.File(name)))!;

    [Fact]
    public void Image_LoopDevice_BytesAndSha256EqualTheBackingFile()
    {
        using var directory = new TempDirectory();
        string backing = Backing(directory);
        using (var loop = LoopDevice.Attach(backing))
        {
            FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", loop.Path, "out.raw", "--hash", "md5,sha256", "--quiet");

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.Stderr);
            ExternalTool.Shell(directory.Path, "cmp backing.img out.raw && sha256sum -c out.raw.sha256 && md5sum -c out.raw.md5");
            JsonNode report = Report(directory);
            Assert.Equal(ExternalTool.Digest("sha256", directory.File("backing.img")), (string?)report["hashes"]![1]!["digest"]);
            JsonNode source = report["source"]!;
            Assert.Equal("device", (string?)source["type"]);
            Assert.Equal(loop.Path, (string?)source["path"]);
            Assert.Equal(6L << 20, (long?)source["size"]);
            Assert.Equal("loop", (string?)source["details"]!["transport"]);
            Assert.Equal(512, (int?)source["details"]!["logicalSectorSize"]);
            Assert.Equal("read-only", (string?)source["details"]!["access"]);
            Assert.Equal(0, (long?)source["afterRun"]!["unreportedSectors"]);
            Assert.Equal(0, (long?)source["afterRun"]!["badSectors"]);
            Assert.Equal("direct (O_DIRECT)", (string?)source["afterRun"]!["readMode"]);
            Assert.Equal("zero", (string?)report["stream"]!["fill"]);
        }
        Assert.Equal("", LoopDevice.AttachedTo(backing));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void Image_ReportedSizeSmallerThanTheDevice_WholeDeviceAndTheUnreportedCount(int sectorSize)
    {
        using var directory = new TempDirectory();
        string backing = Backing(directory, "2M");
        using var loop = LoopDevice.Attach(backing, sectorSize);
        const long reported = 1536 * 1024;

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", loop.Path, "out.raw", "--hash", "sha256",
            "--reported-size", reported.ToString(), "--mapfile", "out.map");

        Assert.Equal(0, run.ExitCode);
        ExternalTool.Shell(directory.Path, "cmp backing.img out.raw && sha256sum -c out.raw.sha256");
        long unreported = ((2L << 20) - reported) / sectorSize;
        Assert.Contains($"fpipe: {unreported} sector(s) past the reported size {reported} read; probed size {2L << 20}", run.Stderr);
        JsonNode afterRun = Report(directory)["source"]!["afterRun"]!;
        Assert.Equal(unreported, (long?)afterRun["unreportedSectors"]);
        Assert.Equal(reported, (long?)afterRun["reportedSize"]);
        Assert.Equal(2L << 20, (long?)afterRun["osReportedSize"]);
        Assert.Equal(2L << 20, (long?)afterRun["probedSize"]);
        Assert.Equal(sectorSize, (int?)afterRun["logicalSectorSize"]);
        Assert.Contains("current status: finished", ExternalTool.Shell(directory.Path, "ddrescuelog -t out.map"));
    }

    [Fact]
    public void Image_ReportedSizeNotAMultipleOfTheSector_Exit1OneLine()
    {
        using var directory = new TempDirectory();
        using var loop = LoopDevice.Attach(Backing(directory, "1M"), 4096);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", loop.Path, "out.raw", "--reported-size", "1000", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"fpipe: {loop.Path}: reportedSize 1000 is not a multiple of the logical sector size 4096", run.Stderr.Trim());
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void Devices_Json_ListsTheLoopDeviceWithSizeAndSectorSize(int sectorSize)
    {
        using var directory = new TempDirectory();
        string backing = Backing(directory, "3M");
        using var loop = LoopDevice.Attach(backing, sectorSize);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "devices", "--json");

        Assert.Equal(0, run.ExitCode);
        JsonNode device = JsonNode.Parse(run.Stdout)!.AsArray().Single(d => (string?)d!["path"] == loop.Path)!;
        Assert.Equal(3L << 20, (long?)device["size"]);
        Assert.Equal(sectorSize, (int?)device["logicalSectorSize"]);
        Assert.Equal("loop", (string?)device["transport"]);
        Assert.Equal(backing, (string?)device["backingFile"]);
        Assert.False((bool?)device["removable"]);
        Assert.NotNull(device["mounts"]);
    }

    [Fact]
    public void Devices_Text_OneLinePerDeviceWithThePath()
    {
        using var directory = new TempDirectory();
        using var loop = LoopDevice.Attach(Backing(directory, "1M"));

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "devices");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("PATH", run.Stdout);
        Assert.Contains(run.Stdout.Split('\n'), line => line.StartsWith(loop.Path + " ", StringComparison.Ordinal) && line.Contains("1.0 MiB"));
    }

    [Fact]
    public void Image_NoSourceAndStdinNotATerminal_Exit2WithoutAsking()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("fpipe: SRC: no source given (name a device or file; fpipe devices lists the devices)", run.Stderr.Trim());
        Assert.DoesNotContain("Copy which device", run.Stdout + run.Stderr);
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Image_NoSourceOnATerminal_ListsDevicesAsksAndImagesTheChosenOne()
    {
        using var directory = new TempDirectory();
        string backing = Backing(directory, "2M");
        using var loop = LoopDevice.Attach(backing);

        // script(1) gives fpipe a terminal as standard input; the answer is typed into it.
        string output = ExternalTool.Shell(directory.Path,
            $"printf '{loop.Path}\\n' | script -qec \"dotnet '{FpipeProcess.Dll}' image --hash sha256\" /dev/null; echo \"exit=$?\"");

        Assert.Contains("exit=0", output);
        Assert.Contains("Copy which device?", output);
        Assert.Contains(output.Split('\n'), line => line.Contains(loop.Path + " ", StringComparison.Ordinal) && line.Contains(backing));
        string name = loop.Path["/dev/".Length..] + ".raw";
        Assert.Contains($"fpipe: imaging {loop.Path} to {name}", output);
        ExternalTool.Shell(directory.Path, $"cmp backing.img {name} && sha256sum -c {name}.sha256");
    }

    [Fact]
    public void Image_OnATerminalWithAnEmptyAnswer_Exit2NothingWritten()
    {
        using var directory = new TempDirectory();

        string output = ExternalTool.Shell(directory.Path,
            $"printf '\\n' | script -qec \"dotnet '{FpipeProcess.Dll}' image\" /dev/null; echo \"exit=$?\"");

        Assert.Contains("exit=2", output);
        Assert.Contains("no device chosen", output);
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Theory]
    [InlineData("/dev/null", "not a block device or regular file but a character device")]
    public void Image_NotADeviceOrFile_Exit1OneLine(string path, string expected)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", path, "out.raw", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"fpipe: {path}: {expected}", run.Stderr.Trim());
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Fact]
    public void Image_DeviceWithoutPermission_Exit1PermissionDeniedOneLine()
    {
        using var directory = new TempDirectory();
        using var loop = LoopDevice.Attach(Backing(directory, "1M"));
        ExternalTool.Shell(directory.Path, "chmod 777 .");

        // As nobody, the device node (root:disk, 0660) cannot be opened; the output folder can be written.
        string output = ExternalTool.Shell(directory.Path,
            $"HOME=/tmp setpriv --reuid=nobody --regid=nogroup --clear-groups dotnet '{FpipeProcess.Dll}' image {loop.Path} out.raw --quiet 2>&1; echo \"exit=$?\"");

        Assert.Equal($"fpipe: {loop.Path}: cannot open the source read-only: EACCES (Permission denied)\nexit=1", output.Trim());
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Fact]
    public void Run_JobFileWithDeviceSource_MapfileBesideTheJobAndRangesInTheReport()
    {
        using var directory = new TempDirectory();
        string backing = Backing(directory, "1M");
        using var loop = LoopDevice.Attach(backing);
        File.WriteAllText(directory.File("dev.job.json"), $$"""
            { "source": { "type": "device", "path": "{{loop.Path}}", "retries": 1, "maxBadSectors": 0, "mapfile": "dev.map" },
              "stages": [ { "type": "fill", "pattern": "0xbadbadba" }, { "type": "hash", "algorithms": ["sha1"] } ],
              "sinks": [ { "type": "raw-file", "path": "dev.raw" } ] }
            """);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "dev.job.json", "--quiet");

        Assert.Equal(0, run.ExitCode);
        ExternalTool.Shell(directory.Path, "cmp backing.img dev.raw && sha1sum -c dev.raw.sha1");
        Assert.Contains("current status: finished", ExternalTool.Shell(directory.Path, "ddrescuelog -t dev.map"));
        JsonNode report = Report(directory, "dev.raw.report.json");
        Assert.Equal("badbadba", (string?)report["stream"]!["fill"]);
        Assert.Equal(0, (long?)report["source"]!["afterRun"]!["maxBadSectors"]);
        Assert.Empty(report["source"]!["afterRun"]!["badRanges"]!.AsArray());
    }

    [Fact]
    public void Image_ExistingMapfileWithoutOverwrite_Exit2Untouched()
    {
        using var directory = new TempDirectory();
        using var loop = LoopDevice.Attach(Backing(directory, "1M"));
        File.WriteAllText(directory.File("out.map"), "earlier");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", loop.Path, "out.raw", "--mapfile", "out.map");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("fpipe: --mapfile: the mapfile", run.Stderr);
        Assert.Contains("add --overwrite", run.Stderr);
        Assert.Equal("earlier", File.ReadAllText(directory.File("out.map")));
    }

    [Theory]
    [InlineData("""{ "type": "device", "path": "/dev/x", "retries": 99 }""", "$.source.retries: 99 is not between 0 and 64")]
    [InlineData("""{ "type": "device", "path": "/dev/x", "reportedSize": 0 }""", "$.source.reportedSize: 0 is not a positive number of bytes")]
    [InlineData("""{ "type": "device", "path": "/dev/x", "maxBadSectors": -1 }""", "$.source.maxBadSectors: -1 is negative")]
    [InlineData("""{ "type": "device", "path": "/dev/x", "color": "red" }""", "$.source")]
    public void Validate_InvalidDeviceSource_Exit2WithThePath(string source, string expected)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("bad.job.json"), $$"""{ "source": {{source}}, "sinks": [ { "type": "null" } ] }""");

        FpipeProcess.Outcome outcome = FpipeProcess.Run(directory.Path, "validate", "bad.job.json");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("bad.job.json: " + expected, outcome.Stderr);
    }

    [Fact]
    public void Image_RegularFileAsDevice_SameBytesThroughTheDeviceSource()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 1000001 /dev/urandom > in.bin");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "image", "in.bin", "out.raw", "--device", "--quiet");

        Assert.Equal(0, run.ExitCode);
        ExternalTool.Shell(directory.Path, "cmp in.bin out.raw");
        JsonNode source = Report(directory)["source"]!;
        Assert.Equal("regular file", (string?)source["details"]!["kind"]);
        Assert.Equal(1000001L, (long?)source["afterRun"]!["probedSize"]);
    }
}
