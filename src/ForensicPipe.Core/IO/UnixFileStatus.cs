namespace ForensicPipe.Core.IO;

/// <summary>What <c>statx(2)</c> says of a file (fields of <c>struct statx</c>, linux/stat.h).</summary>
/// <param name="Kind">The file type.</param>
/// <param name="FileType">The raw type bits (<c>stx_mode &amp; S_IFMT</c>), to name a type that
/// <paramref name="Kind"/> calls <see cref="UnixFileKind.Other"/>.</param>
/// <param name="Size">Bytes (<c>stx_size</c>); 0 for a block device, whose size is
/// <see cref="UnixFile.TryGetBlockDeviceSize"/>.</param>
/// <param name="Inode">The inode number (<c>stx_ino</c>).</param>
/// <param name="DevMajor">Major number of the device holding the file (<c>stx_dev_major</c>, st_dev).</param>
/// <param name="DevMinor">Minor number of the device holding the file (<c>stx_dev_minor</c>, st_dev).</param>
/// <param name="RdevMajor">Major number of the device a block or character special file stands for
/// (<c>stx_rdev_major</c>, st_rdev).</param>
/// <param name="RdevMinor">Minor number of the device a block or character special file stands for
/// (<c>stx_rdev_minor</c>, st_rdev).</param>
public readonly record struct UnixFileStatus(
    UnixFileKind Kind,
    int FileType,
    long Size,
    ulong Inode,
    uint DevMajor,
    uint DevMinor,
    uint RdevMajor,
    uint RdevMinor);
