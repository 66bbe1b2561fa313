using System.Text.Json;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Partclone;

/// <summary>
/// <c>tests/fixtures/partclone-0.3.47/manifest.json</c>, written by <c>make-fixtures.sh</c> from what the real
/// partclone 0.3.47 said about each committed image: the SHA-256 of <c>partclone.restore -W</c>'s output and
/// <c>partclone.chkimg</c>'s exit status on the image and on copies with one flipped byte.
/// </summary>
internal sealed record Partclone047Manifest(string Partclone, string Flip, IReadOnlyList<Partclone047Image> Images)
{
    private static readonly Lazy<Partclone047Manifest> s_manifest = new(() =>
        JsonSerializer.Deserialize<Partclone047Manifest>(File.ReadAllText(Path.Combine(Folder, "manifest.json")), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("empty manifest"));

    /// <summary>tests/fixtures/partclone-0.3.47.</summary>
    public static string Folder => Path.Combine(RepositoryRoot.Fixtures, "partclone-0.3.47");

    public static Partclone047Manifest Instance => s_manifest.Value;

    public Partclone047Image this[string name] => Images.Single(image => image.Name == name);
}

/// <summary>One image of the manifest.</summary>
internal sealed record Partclone047Image(
    string Name,
    string Archive,
    string FileSystem,
    string Options,
    long ImageSize,
    long DeviceSize,
    long TotalBlocks,
    long UsedBlocks,
    int BlockSize,
    int ChecksumMode,
    int ChecksumSize,
    long BlocksPerChecksum,
    bool Reseed,
    long ChecksumCount,
    bool LastGroupPartial,
    Partclone047Restore Restore,
    IReadOnlyList<Partclone047Chkimg> Chkimg)
{
    public Partclone047Chkimg Case(string name) => Chkimg.Single(c => c.Case == name);
}

/// <summary><c>partclone.restore -W</c>'s output: its size, its SHA-256, and the SHA-256 of it zero-extended
/// to device_size (restore -W stops at total × block size when the last block is present).</summary>
internal sealed record Partclone047Restore(long Size, string Sha256, string Sha256ZeroExtendedToDeviceSize);

/// <summary><c>partclone.chkimg</c> (with <see cref="ChkimgOptions"/>) on the image (<c>good</c>) or on a copy
/// with the byte at <see cref="ImageOffset"/> XOR 0xff, and the group that byte belongs to.</summary>
internal sealed record Partclone047Chkimg(
    string Case,
    string ChkimgOptions,
    long? ImageOffset,
    long? Group,
    long? GroupImageOffset,
    long? GroupPartitionOffset,
    int ExitCode,
    string Verdict,
    string Message);
