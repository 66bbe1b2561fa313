namespace ForensicPipe.Core.IO;

/// <summary>File types from <c>st_mode &amp; S_IFMT</c> (linux/stat.h), and <see cref="Missing"/> for a path
/// that does not exist.</summary>
public enum UnixFileKind
{
    /// <summary>Nothing at the path (<c>ENOENT</c>).</summary>
    Missing,

    /// <summary><c>S_IFREG</c>.</summary>
    Regular,

    /// <summary><c>S_IFDIR</c>.</summary>
    Directory,

    /// <summary><c>S_IFBLK</c>.</summary>
    BlockDevice,

    /// <summary><c>S_IFCHR</c>.</summary>
    CharacterDevice,

    /// <summary><c>S_IFIFO</c>.</summary>
    Fifo,

    /// <summary><c>S_IFSOCK</c>.</summary>
    Socket,

    /// <summary>Any other type, or a path whose type could not be read for a reason other than its absence.</summary>
    Other,
}
