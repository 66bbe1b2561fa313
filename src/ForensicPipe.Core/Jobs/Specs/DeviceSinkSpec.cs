using System.ComponentModel;

namespace ForensicPipe.Core.Jobs.Specs;

/// <summary>Restores the reconstructed partition onto a block device (as <c>partclone -r</c>,
/// <c>ntfsclone --restore-image</c>), with refusals before anything is written and optional read-back.</summary>
[Description("Writes the reconstructed partition onto a block device (Linux). Refused before anything is written unless confirmed, when the target is mounted, has a mounted partition, is in use, is the job's own source, is smaller than offset + partition size, or is not a block device (unless allowFile). Ranges the image does not contain are skipped unless a fill stage materialises them.")]
public sealed class DeviceSinkSpec : SinkSpec
{
    /// <summary>The target device (e.g. <c>/dev/sdb1</c>).</summary>
    [Description("The target block device, e.g. /dev/sdb1 or /dev/loop3.")]
    public required string Path { get; init; }

    /// <summary>The user confirmed that the target's contents may be destroyed.</summary>
    [Description("Must be true: the target's contents are overwritten (--yes on the command line).")]
    public bool Confirm { get; init; }

    /// <summary>Read the written ranges back with direct I/O and compare their hash with what was sent.</summary>
    [Description("After writing, read back every written range with direct I/O (bypassing the page cache) and compare its SHA-256 with the SHA-256 of what was sent; a difference is a verification mismatch (exit 3).")]
    public bool Verify { get; init; }

    /// <summary>Byte offset on the target where the partition starts.</summary>
    [Description("Byte offset on the target where partition byte 0 goes (restore into a partition of a whole-disk device); a multiple of the target's logical sector size. Default 0.")]
    public long Offset { get; init; }

    /// <summary>Accept a regular file as target (tests, disk images).</summary>
    [Description("Accept an existing regular file as the target instead of a block device (it is written in place, not truncated or grown).")]
    public bool AllowFile { get; init; }
}
