using System.Security.Cryptography;

namespace ForensicPipe.TestSupport;

/// <summary>Digests computed in-process, for files too large or too many to shell out for.</summary>
public static class FileHash
{
    /// <summary>SHA-256 of the file, lower-case hex. Opened with <see cref="FileShare.ReadWrite"/> so that files of a
    /// FUSE mount or a loop device's backing file can be read while in use.</summary>
    public static string Sha256(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
