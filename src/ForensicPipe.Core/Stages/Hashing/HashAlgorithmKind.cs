using System.Security.Cryptography;

namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>The digests the hash stage computes, by their names in job files and sidecar extensions.</summary>
public static class HashAlgorithmKind
{
    /// <summary>Accepted names, in the order reports list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["md5", "sha1", "sha256", "sha384", "sha512"];

    /// <summary>Whether <paramref name="name"/> is a known algorithm (lower case).</summary>
    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The BCL algorithm for a known name.</summary>
    public static HashAlgorithmName ToBcl(string name) => name switch
    {
        "md5" => HashAlgorithmName.MD5,
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"unknown hash algorithm '{name}'", nameof(name)),
    };
}
