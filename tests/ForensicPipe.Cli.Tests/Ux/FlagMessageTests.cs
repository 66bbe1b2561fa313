using System.Text.Json.Nodes;

namespace ForensicPipe.Cli.Tests.Ux;

/// <summary>Command-line mistakes are said in command-line words: the flag, the value, every accepted choice;
/// never a .NET type name or a job file's JSON path (docs/cli.md, "Errors").</summary>
public class FlagMessageTests
{
    private static FpipeProcess.Outcome Run(TempDirectory directory, params string[] arguments)
    {
        ExternalTool.Shell(directory.Path, "test -e in.bin || head -c 70000 /dev/urandom > in.bin");
        return FpipeProcess.Run(directory.Path, arguments);
    }

    private static void AssertUsage(FpipeProcess.Outcome run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.DoesNotContain("$.", run.Stderr);
        Assert.DoesNotContain("ForensicPipe.", run.Stderr);
    }

    [Theory]
    [InlineData("fpipe: --window: '1X' has an unknown unit 'X'", "image", "in.bin", "out.raw", "--window", "1X")]
    [InlineData("fpipe: --window: 'big' is not a size", "image", "in.bin", "out.raw", "--window", "big")]
    [InlineData("fpipe: --window: 0 is not a positive number of bytes", "image", "in.bin", "out.raw", "--window", "0")]
    [InlineData("fpipe: --buffer-size: '1Q' has an unknown unit 'Q'", "image", "in.bin", "out.raw", "--buffer-size", "1Q")]
    [InlineData("fpipe: --buffer-size: 5000 is not a multiple of 4096 from 4K to 64M", "image", "in.bin", "out.raw", "--buffer-size", "5000")]
    [InlineData("fpipe: --split: 1000 is smaller than 4096 bytes", "image", "in.bin", "out.raw", "--split", "1000")]
    [InlineData("fpipe: --retries: 'many' is not a whole number", "image", "in.bin", "out.raw", "--retries", "many")]
    [InlineData("fpipe: --retries: 99 is not between 0 and 64", "image", "in.bin", "out.raw", "--retries", "99")]
    [InlineData("fpipe: --reported-size: '1.5G' has an unknown unit '.5G'", "image", "in.bin", "out.raw", "--reported-size", "1.5G")]
    [InlineData("fpipe: --hash: unknown algorithm 'crc32'; known: md5, sha1, sha256, sha384, sha512, or none", "image", "in.bin", "out.raw", "--hash", "crc32")]
    [InlineData("fpipe: --fill: 'ones' is not zero, deadbeef or 1 to 16 bytes of hex such as 0xfeedface", "image", "in.bin", "out.raw", "--device", "--fill", "ones")]
    [InlineData("fpipe: --fill: a raw image file has no unreadable sectors to fill; --fill applies to devices", "image", "in.bin", "out.raw", "--fill", "zero")]
    [InlineData("fpipe: --on-mismatch: 'ignore' is not fail or record", "restore", "in.bin", "out.raw", "--on-mismatch", "ignore")]
    [InlineData("fpipe: --fill: 'ones' is not deadbeef, zero, sparse or 1 to 16 bytes of hex such as 0xfeedface", "restore", "in.bin", "out.raw", "--fill", "ones")]
    [InlineData("fpipe: --offset: out.raw is not a block device; --offset is for restoring onto a device", "restore", "in.bin", "out.raw", "--offset", "1M")]
    [InlineData("fpipe: --telemetry: 'jaeger' is not console or none", "image", "in.bin", "out.raw", "--telemetry", "jaeger")]
    [InlineData("fpipe: --otlp-protocol: 'thrift' is not grpc or http/protobuf", "verify", "in.bin", "--otlp-protocol", "thrift")]
    [InlineData("fpipe: --otlp-endpoint: 'localhost' is not an absolute http:// or https:// URL", "image", "in.bin", "out.raw", "--otlp-endpoint", "localhost")]
    [InlineData("fpipe: --index-size: 'x' is not a whole number", "mount", "in.bin", "/mnt", "--index-size", "x")]
    [InlineData("fpipe: --window: needs digests: name them with --hash", "image", "in.bin", "out.raw", "--hash", "none", "--window", "1M")]
    [InlineData("fpipe: --log: cannot append to /proc/no/such.log", "image", "in.bin", "out.raw", "--log", "/proc/no/such.log")]
    public void BadFlag_Exit2OneLineNamingTheFlag(string expected, params string[] arguments)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = Run(directory, arguments);

        AssertUsage(run, expected);
        Assert.False(File.Exists(directory.File("out.raw.partial")));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("info")]
    [InlineData("restore")]
    [InlineData("image")]
    [InlineData("mount")]
    public void DirectoryGivenAsImage_Exit2SaysItIsADirectory(string verb)
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.File("folder"));
        Directory.CreateDirectory(directory.File("mnt"));
        string[] arguments = verb switch
        {
            "restore" or "image" => [verb, "folder", "out.raw"],
            "mount" => [verb, "folder", "mnt"],
            _ => [verb, "folder"],
        };

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, arguments);

        AssertUsage(run, $"folder is a directory");
        Assert.DoesNotContain("denied", run.Stderr);
    }

    [Fact]
    public void Restore_FillInAnyCase_Accepted()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 70000 /dev/urandom > notes.txt");

        // The choice is accepted (the run then fails on the input, which is no image: exit 1, not 2).
        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "notes.txt", "out.raw", "--fill", "Sparse", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("notes.txt: magic at byte 0: not a partclone, partimage, ntfsclone or e01 image", run.Stderr);
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("4K", 4096L)]
    [InlineData("4k", 4096L)]
    [InlineData("4KiB", 4096L)]
    [InlineData("4KB", 4000L)]
    [InlineData("1M", 1048576L)]
    [InlineData("1MiB", 1048576L)]
    [InlineData("1MB", 1000000L)]
    [InlineData("2G", 2147483648L)]
    [InlineData("1T", 1099511627776L)]
    public void Image_WindowWithSuffix_ReportHoldsTheBytes(string text, long bytes)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = Run(directory, "image", "in.bin", "out.raw", "--window", text, "--hash", "md5", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.Equal(bytes, (long?)report["job"]!["stages"]![0]!["window"]);
    }

    [Fact]
    public void Image_BufferSizeWithSuffix_Accepted()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = Run(directory, "image", "in.bin", "out.raw", "--buffer-size", "64K", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(65536, (int?)JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!["job"]!["bufferSize"]);
    }

    [Fact]
    public void Run_BufferSizeFlag_OverridesTheJobFile()
    {
        using var directory = new TempDirectory();
        ExternalTool.Shell(directory.Path, "head -c 70000 /dev/urandom > in.bin");
        File.WriteAllText(directory.File("c.job.json"), """{ "source": { "type": "file", "path": "in.bin" }, "sinks": [ { "type": "raw-file", "path": "c.raw" } ], "bufferSize": 8192 }""");

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "c.job.json", "--buffer-size", "16K", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(16384, (int?)JsonNode.Parse(File.ReadAllText(directory.File("c.raw.report.json")))!["job"]!["bufferSize"]);
    }
}
