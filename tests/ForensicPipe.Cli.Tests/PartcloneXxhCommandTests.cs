using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ForensicPipe.Cli.Tests.Mount;

namespace ForensicPipe.Cli.Tests;

/// <summary>The ext4 images of tests/fixtures/partclone-0.3.47 (written by the real partclone 0.3.47), unpacked
/// once, with the manifest of what partclone 0.3.47 said about them.</summary>
public sealed class PartcloneXxhFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public PartcloneXxhFixture()
    {
        string fixtures = Path.Combine(RepositoryRoot(), "tests", "fixtures", "partclone-0.3.47");
        ExternalTool.Shell(_directory.Path, $"tar -xJf '{Path.Combine(fixtures, "ext4.tar.xz")}'");
        Manifest = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(fixtures, "manifest.json")))!;
    }

    public JsonNode Manifest { get; }

    public string Folder => _directory.Path;

    public string File(string name) => _directory.File(name);

    public JsonNode Image(string name) => Manifest["images"]!.AsArray().Single(image => (string?)image!["name"] == name)!;

    public JsonNode Case(string name, string flip) => Image(name)["chkimg"]!.AsArray().Single(c => (string?)c!["case"] == flip)!;

    public void Dispose() => _directory.Dispose();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "ForensicPipe.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found above the test binaries");
    }
}

/// <summary><c>fpipe verify</c>, <c>info</c>, <c>restore --fill zero</c> and <c>mount --verify-reads</c> on
/// XXH3-128 images as Clonezilla writes them since 2026-04 (<c>-a3 -z 10485760</c>: 2560 blocks per checksum).</summary>
public sealed class PartcloneXxhCommandTests(PartcloneXxhFixture fixture) : IClassFixture<PartcloneXxhFixture>
{
    private const string Clonezilla = "ext4.a3z10m.pc";
    private const string Coverage = "XXH3-128 every 2560 blocks, reset after each group";

    private static string Sha256(string path) => ExternalTool.Shell("/", $"sha256sum '{path}'").Split(' ')[0];

    private static void Flip(string path, long offset)
    {
        using FileStream stream = File.Open(path, FileMode.Open);
        stream.Position = offset;
        int old = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(old ^ 0xFF));
    }

    [Theory]
    [InlineData(Clonezilla)]
    [InlineData("ext4.a3K.pc")]
    [InlineData("ext4.a2Kk7.pc")]
    public void Verify_Partclone047Image_Exit0AndReportNamesAlgorithmAndCoverage(string image)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", fixture.File(image), "--quiet", "--report", directory.File("verify.report.json"));

        Assert.Equal(0, run.ExitCode);
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("verify.report.json")))!;
        Assert.Equal((long)fixture.Image(image)["checksumCount"]! + 2, (long?)report["verification"]!["checked"]);
        Assert.True((bool?)report["verification"]!["passed"]);
        string text = report.ToJsonString();
        string name = (int)fixture.Image(image)["checksumMode"]! == 0x31 ? "XXH3-128" : "XXH64";
        Assert.Contains($"\"checksumModeName\":\"{name}\"", text, StringComparison.Ordinal);
        Assert.Contains($"{name} every {(long)fixture.Image(image)["blocksPerChecksum"]!} blocks, "
            + ((bool)fixture.Image(image)["reseed"]! ? "reset after each group" : "never reset (-K)"), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data-block")]
    [InlineData("stored-checksum")]
    [InlineData("last-group")]
    public void Verify_Xxh3ImageWithOneFlippedByte_Exit3NamingGroupImageAndPartitionOffset(string flip)
    {
        using var directory = new TempDirectory();
        JsonNode chkimg = fixture.Case(Clonezilla, flip);
        File.Copy(fixture.File(Clonezilla), directory.File("bad.pc"));
        Flip(directory.File("bad.pc"), (long)chkimg["imageOffset"]!);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "bad.pc", "--quiet");

        Assert.NotEqual(0, (int)chkimg["exitCode"]!); // partclone.chkimg 0.3.47 refused it too
        Assert.Equal(3, run.ExitCode);
        string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"group {chkimg["group"]} stored at image byte {chkimg["groupImageOffset"]} (partition byte {chkimg["groupPartitionOffset"]})",
            line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x31, 8, 2560u, "checksum_size at byte 98: value 8 does not match checksum mode 0x31 (XXH3-128), which stores 16")]
    [InlineData(0x31, 16, 0u, "blocks_per_checksum at byte 100: value 0 with checksum mode 0x31 (XXH3-128)")]
    [InlineData(0x30, 16, 2560u, "checksum_size at byte 98: value 16 does not match checksum mode 0x30 (XXH64), which stores 8")]
    public void Verify_XxhHeaderOptionsInconsistent_Exit1WithOneLineNamingFieldAndOffset(int mode, int size, uint blocksPerChecksum, string message)
    {
        using var directory = new TempDirectory();
        byte[] image = File.ReadAllBytes(fixture.File(Clonezilla));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(96), (ushort)mode);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(98), (ushort)size);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(100), blocksPerChecksum);
        // A correct header CRC, so the patched field is the only reason for the refusal.
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(106), Formats.Checksums.Crc32.Update(0xFFFFFFFF, image.AsSpan(0, 106)));
        File.WriteAllBytes(directory.File("bad.pc"), image);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "verify", "bad.pc", "--quiet");

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_Xxh3Image_NamesTheModeAndWhatEachValueCovers()
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome text = FpipeProcess.Run(directory.Path, "info", fixture.File(Clonezilla));
        FpipeProcess.Outcome json = FpipeProcess.Run(directory.Path, "info", fixture.File(Clonezilla), "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("XXH3-128", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(Coverage, text.Stdout, StringComparison.Ordinal);
        JsonNode info = JsonNode.Parse(json.Stdout)!;
        Assert.Equal("0x31", (string?)info["checksumModeHex"]);
        Assert.Equal("XXH3-128", (string?)info["checksumModeName"]);
        Assert.Equal(16L, (long?)info["checksumSize"]);
        Assert.Equal(2560L, (long?)info["blocksPerChecksum"]);
        Assert.StartsWith(Coverage, (string?)info["checksumCoverage"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Clonezilla)]
    [InlineData("ext4.a3k7.pc")]
    [InlineData("ext4.a2Kk7.pc")]
    public void Restore_FillZero_ByteIdenticalToPartcloneRestoreW(string image)
    {
        using var directory = new TempDirectory();

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", fixture.File(image), "out.raw", "--fill", "zero", "--quiet");

        Assert.Equal(0, run.ExitCode);
        JsonNode restore = fixture.Image(image)["restore"]!;
        // partclone.restore -W stops at total × block size when the last block is present; compare that much,
        // and the whole zero-extended output.
        long restoredSize = (long)restore["size"]!;
        Assert.Equal((string?)restore["sha256"], ExternalTool.Shell(directory.Path, $"head -c {restoredSize} out.raw | sha256sum").Split(' ')[0]);
        Assert.Equal((string?)restore["sha256ZeroExtendedToDeviceSize"], Sha256(directory.File("out.raw")));
        JsonNode report = JsonNode.Parse(File.ReadAllText(directory.File("out.raw.report.json")))!;
        Assert.True((bool?)report["verification"]!["passed"]);
    }

    [Fact]
    public void Restore_Xxh3ImageWithFlippedDataByte_Exit3AndNoOutputLooksComplete()
    {
        using var directory = new TempDirectory();
        JsonNode chkimg = fixture.Case(Clonezilla, "data-block");
        File.Copy(fixture.File(Clonezilla), directory.File("bad.pc"));
        Flip(directory.File("bad.pc"), (long)chkimg["imageOffset"]!);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "restore", "bad.pc", "out.raw", "--fill", "zero", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"group {chkimg["group"]} stored at image byte {chkimg["groupImageOffset"]}", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("out.raw")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_JobWithVerifyStageOnXxh3Image_ChecksEveryGroupAndRecordsTheDamagedOne(bool damaged)
    {
        using var directory = new TempDirectory();
        string image = fixture.File(Clonezilla);
        JsonNode chkimg = fixture.Case(Clonezilla, "data-block");
        if (damaged)
        {
            image = directory.File("bad.pc");
            File.Copy(fixture.File(Clonezilla), image);
            Flip(image, (long)chkimg["imageOffset"]!);
        }
        File.WriteAllText(directory.File("job.json"), $$"""
            { "source": { "type": "partclone", "path": "{{image}}" },
              "stages": [ { "type": "verify", "onMismatch": "record" }, { "type": "fill", "pattern": "zero" } ],
              "sinks": [ { "type": "raw-file", "path": "out.raw" } ] }
            """);

        FpipeProcess.Outcome run = FpipeProcess.Run(directory.Path, "run", "job.json", "--quiet");

        Assert.Equal(damaged ? 3 : 0, run.ExitCode);
        JsonNode report = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(directory.Path, "*.report.json").Single()))!;
        JsonNode verification = report["verification"]!;
        Assert.Equal((long)fixture.Image(Clonezilla)["checksumCount"]! + 2, (long?)verification["checked"]);
        Assert.StartsWith(Coverage, (string?)verification["method"], StringComparison.Ordinal);
        if (damaged)
        {
            Assert.Equal(1L, (long?)verification["mismatches"]);
            Assert.Contains($"group {chkimg["group"]} stored at image byte {chkimg["groupImageOffset"]}", run.Stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((string?)fixture.Image(Clonezilla)["restore"]!["sha256ZeroExtendedToDeviceSize"], Sha256(directory.File("out.raw")));
        }
    }

    [Fact]
    public void Mount_VerifyReadsOnXxh3Image_ReadsLikeRestoreWAndDamagedGroupReadsAsEio()
    {
        using var work = new TempDirectory();
        string expected = (string)fixture.Image(Clonezilla)["restore"]!["sha256ZeroExtendedToDeviceSize"]!;
        using (var mounted = new MountedImage(fixture.File(Clonezilla), work.File("good"), "--verify-reads"))
        {
            string file = Assert.Single(Directory.GetFiles(mounted.MountPoint));
            Assert.Equal(expected, Sha256(file));
        }

        // The last block, in group 1 of 2: group 0 (partition byte 0) stays readable.
        JsonNode chkimg = fixture.Case(Clonezilla, "last-group");
        string damaged = work.File("damaged.pc");
        File.Copy(fixture.File(Clonezilla), damaged);
        Flip(damaged, (long)chkimg["imageOffset"]!);
        using var bad = new MountedImage(damaged, work.File("bad"), "--verify-reads");
        string partition = Assert.Single(Directory.GetFiles(bad.MountPoint));
        long groupStart = (long)chkimg["groupPartitionOffset"]!;

        string result = ExternalTool.Shell("/", $"dd if='{partition}' of=/dev/null bs=4096 skip={groupStart / 4096} count=1 2>&1; echo exit=$?");
        string before = ExternalTool.Shell("/", $"dd if='{partition}' of=/dev/null bs=4096 count=1 2>&1; echo exit=$?");

        Assert.Contains("Input/output error", result, StringComparison.Ordinal);
        Assert.Contains($"checksum of group {chkimg["group"]}", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("exit=0", before, StringComparison.Ordinal);
    }
}
