using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// Makes the partclone fixtures once per test run with the real tools: corpus B from
/// <c>tests/fixtures/mkcorpus.sh</c> (docs/testing.md, "Corpus B: tests/fixtures/mkcorpus.sh"), plus XFS, btrfs and a
/// FAT with files imaged by partclone 0.3.23 in several variants, synthetic 0001 images (docs/formats/partclone.md,
/// "Synthesising a 0001 image") and small synthetic 0002 edge cases, and the SHA-256 of <c>partclone.restore -W</c>'s
/// output for every image.
/// </summary>
public sealed class PartcloneCorpusFixture : IAsyncLifetime
{
    /// <summary>Images written by partclone itself: name, the raw partition it came from.</summary>
    public static readonly IReadOnlyDictionary<string, string> ToolImages = new Dictionary<string, string>
    {
        ["ext4.pc"] = "ext4.raw",
        ["ext4.a0.pc"] = "ext4.raw",
        ["ext4.k1.pc"] = "ext4.raw",
        ["ext4.k1000.pc"] = "ext4.raw",
        ["ext4.K.pc"] = "ext4.raw",
        ["fat-empty.pc"] = "fat-empty.raw",
        ["ntfs-empty.pc"] = "ntfs-empty.raw",
        ["fat.pc"] = "fat.raw",
        ["fat.k7.pc"] = "fat.raw",
        ["xfs.pc"] = "xfs.raw",
        ["xfs.K.pc"] = "xfs.raw",
        ["btrfs.pc"] = "btrfs.raw",
    };

    /// <summary>Synthetic format 0001 images made from ext4.pc and ext4.raw (docs/formats/partclone.md,
    /// "Synthesising a 0001 image").</summary>
    public const string V1Image = "ext4.v1.pc";

    /// <summary>Like <see cref="V1Image"/> but carrying correct (non-buggy) running CRC-32 values.</summary>
    public const string V1CorrectCrcImage = "ext4.v1-correct-crc.pc";

    private readonly ConcurrentDictionary<string, string> _restoreSha256 = new();

    private readonly TempDirectory _directory = new("fpipe-partclone-", keepWhenAsked: true);

    public string Directory => _directory.Path;

    /// <summary>SHA-256 of <c>partclone.restore -W</c>'s output, zero-extended to the partition size, per image.</summary>
    public IReadOnlyDictionary<string, string> RestoreSha256 => _restoreSha256;

    /// <summary>Every image that partclone.restore accepted, tool-made and synthetic.</summary>
    public IReadOnlyList<string> AllImages { get; private set; } = [];

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task InitializeAsync()
    {
        await FixtureScripts.MakeCorpusAsync(Directory);
        await Task.WhenAll(MakeXfsAsync(), MakeBtrfsAsync(), MakeFatAsync());

        PartcloneV1ImageBuilder.FromV2(PathOf("ext4.pc"), PathOf("ext4.raw"), PathOf(V1Image), V1CrcKind.FirstByteBug);
        PartcloneV1ImageBuilder.FromV2(PathOf("ext4.pc"), PathOf("ext4.raw"), PathOf(V1CorrectCrcImage), V1CrcKind.Correct);
        foreach ((string name, SyntheticPartcloneImage image) in SyntheticPartcloneImage.EdgeCases)
        {
            await using FileStream file = File.Create(PathOf(name));
            image.WriteTo(file);
        }

        AllImages = [.. ToolImages.Keys, V1Image, .. SyntheticPartcloneImage.EdgeCases.Keys];
        await Task.WhenAll(AllImages.Select(RestoreAsync));
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>partclone 0.3.23 (<c>-L /dev/null</c> for its log) on an image; the exit code is its verdict.</summary>
    internal static Task<ToolResult> ChkimgAsync(string image) =>
        ExternalTool.RunAsync("partclone.chkimg", ["-L", "/dev/null", "-s", image]);

    private async Task RestoreAsync(string image)
    {
        string output = PathOf(image + ".restored");
        await PartcloneTool.RestoreAsync(PathOf(image), output);
        long partitionSize = PartitionSizeOf(PathOf(image));
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            await using FileStream stream = File.OpenRead(output);
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
            }

            // partclone.restore -W quirk: when the last block is present it stops at total × block size and
            // does not extend the file to device_size (it does when the last block is absent). The bytes
            // beyond are not in the image; the reconstruction has them as zeros.
            Assert.True(stream.Length == partitionSize || stream.Length == TotalBytesOf(PathOf(image)),
                $"{image}: partclone.restore wrote {stream.Length} bytes");
            Array.Clear(buffer);
            for (long left = partitionSize - stream.Length; left > 0; left -= buffer.Length)
            {
                sha.AppendData(buffer, 0, (int)Math.Min(left, buffer.Length));
            }
            _restoreSha256[image] = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        File.Delete(output);
    }

    /// <summary>device_size (0002) or total × block size (0001), read from the header (docs/formats/partclone.md,
    /// "Reconstruction").</summary>
    private static long PartitionSizeOf(string image)
    {
        byte[] header = ReadHeader(image);
        return header.AsSpan(30, 4).SequenceEqual("0002"u8)
            ? (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(52))
            : TotalBytesOf(image);
    }

    private static long TotalBytesOf(string image)
    {
        byte[] header = ReadHeader(image);
        return header.AsSpan(30, 4).SequenceEqual("0002"u8)
            ? (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(60)) * BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(84))
            : (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(48)) * BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(36));
    }

    private static byte[] ReadHeader(string image)
    {
        var header = new byte[110];
        using FileStream file = File.OpenRead(image);
        file.ReadExactly(header);
        return header;
    }

    private Task CloneAsync(string tool, string raw, string image, params string[] options) =>
        PartcloneTool.CloneAsync(tool, PathOf(raw), PathOf(image), options);

    private async Task MakeXfsAsync()
    {
        // mkfs.xfs -p fills the file system from a prototype file: no loop mount needed.
        string source = PathOf("src");
        var proto = new List<string> { "/dev/null", "0 0", "d--755 0 0" };
        foreach (string folder in new[] { "bin", "docs" })
        {
            proto.Add($"{folder} d--755 0 0");
            proto.AddRange(System.IO.Directory.GetFiles(Path.Combine(source, folder)).Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetFileName(f)} ---644 0 0 {f}"));
            proto.Add("$");
        }
        proto.Add("$");
        await File.WriteAllLinesAsync(PathOf("xfs.proto"), proto);
        FileSystemImages.CreateSparse(PathOf("xfs.raw"), 300L << 20);
        await ExternalTool.RunCheckedAsync("mkfs.xfs", ["-q", "-f", "-p", PathOf("xfs.proto"), PathOf("xfs.raw")]);
        await Task.WhenAll(CloneAsync("xfs", "xfs.raw", "xfs.pc"), CloneAsync("xfs", "xfs.raw", "xfs.K.pc", "-K"));
    }

    private async Task MakeBtrfsAsync()
    {
        FileSystemImages.CreateSparse(PathOf("btrfs.raw"), 200L << 20);
        await ExternalTool.RunCheckedAsync("mkfs.btrfs", ["-q", "-f", "--rootdir", PathOf("src"), PathOf("btrfs.raw")]);
        await CloneAsync("btrfs", "btrfs.raw", "btrfs.pc");
    }

    private async Task MakeFatAsync()
    {
        await FileSystemImages.MakeCorpusFatAsync(PathOf("fat.raw"), PathOf("src"), "PCFATFILES");
        await Task.WhenAll(CloneAsync("fat", "fat.raw", "fat.pc"), CloneAsync("fat", "fat.raw", "fat.k7.pc", "-k7"));
    }
}

[CollectionDefinition(Name)]
public sealed class PartcloneCorpusCollection : ICollectionFixture<PartcloneCorpusFixture>
{
    public const string Name = "partclone corpus";
}
