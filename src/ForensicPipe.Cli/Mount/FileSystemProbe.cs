using System.Buffers.Binary;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Cli.Mount;

/// <summary>
/// Recognises the file system inside a partition from its superblock, to print the matching check and mount
/// commands. Magic numbers: ext2/3/4 0xEF53 at byte 1080 (superblock at 1024, s_magic at 56); NTFS
/// <c>NTFS    </c> at byte 3 (boot sector OEM id); FAT <c>FAT32   </c> at 82 or <c>FAT1x   </c> at 54 (boot
/// sector file-system type); XFS <c>XFSB</c> at 0; btrfs <c>_BHRfS_M</c> at 65600 (superblock at 64 KiB,
/// magic at 64).
/// </summary>
internal static class FileSystemProbe
{
    /// <summary>A file system and the commands that go with it.</summary>
    internal sealed record Kind(string Name, string MountType, string CheckCommand);

    private static readonly Kind s_ext = new("ext2/3/4", "ext4", "e2fsck -fn");
    private static readonly Kind s_ntfs = new("NTFS", "ntfs-3g", "ntfsfix --no-action");
    private static readonly Kind s_fat = new("FAT", "vfat", "fsck.vfat -n");
    private static readonly Kind s_xfs = new("XFS", "xfs", "xfs_repair -n");
    private static readonly Kind s_btrfs = new("btrfs", "btrfs", "btrfs check --readonly");

    /// <summary>The file system of <paramref name="image"/>, or null when none is recognised.</summary>
    public static Kind? Detect(IRandomAccessImage image)
    {
        byte[] head = new byte[65600 + 8];
        int length;
        try
        {
            length = image.Read(0, head);
        }
        catch (ForensicPipeException ex)
        {
            // A damaged start (e.g. a checksum mismatch with --verify-reads) must not stop the mount: the same
            // reads fail with EIO through it.
            Commands.MountCommand.Log($"fpipe: cannot read the start of the partition to recognise its file system: {ex.Message}");
            return null;
        }
        ReadOnlySpan<byte> bytes = head.AsSpan(0, length);
        if (bytes.Length >= 1082 && BinaryPrimitives.ReadUInt16LittleEndian(bytes[1080..]) == 0xEF53)
        {
            return s_ext;
        }
        if (bytes.Length >= 11 && bytes[3..11].SequenceEqual("NTFS    "u8))
        {
            return s_ntfs;
        }
        if (bytes.Length >= 90 && (bytes[82..90].SequenceEqual("FAT32   "u8) || bytes[54..59].SequenceEqual("FAT12"u8) || bytes[54..59].SequenceEqual("FAT16"u8)))
        {
            return s_fat;
        }
        if (bytes.StartsWith("XFSB"u8))
        {
            return s_xfs;
        }
        if (bytes.Length >= 65608 && bytes[65600..65608].SequenceEqual("_BHRfS_M"u8))
        {
            return s_btrfs;
        }
        return null;
    }
}
