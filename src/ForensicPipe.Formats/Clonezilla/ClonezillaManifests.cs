using System.Security.Cryptography;
using ForensicPipe.Core.Errors;
using Konscious.Security.Cryptography;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// Checks a folder's manifests (docs/formats/clonezilla.md, "Manifests"): <c>MD5SUMS</c>, <c>SHA1SUMS</c>,
/// <c>B2SUMS</c> (BLAKE2b-512, as coreutils b2sum) and <c>B3SUMS</c> (BLAKE3-256, as b3sum), each in coreutils
/// format (<c>HEX  NAME</c> or <c>HEX *NAME</c>), against the files as stored. Every file is read once per manifest.
/// </summary>
public static class ClonezillaManifests
{
    /// <summary>Longest manifest read (one line per file of a folder).</summary>
    private const int MaxManifestLength = 4 << 20;

    private const int ReadSize = 1 << 20;

    private static readonly System.Buffers.SearchValues<char> s_hexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Checks every manifest in <paramref name="folder"/> (nothing else of the folder is read, so that a damaged
    /// metadata file is named by the manifests); <paramref name="progress"/> sees each result as it comes.</summary>
    /// <exception cref="ImageFormatException">A manifest line that does not parse (with its byte offset).</exception>
    public static IReadOnlyList<ManifestEntry> Check(string folder, Action<ManifestEntry>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var results = new List<ManifestEntry>();
        foreach (string manifest in ClonezillaFolder.ManifestNames.Where(name => File.Exists(Path.Combine(folder, name))))
        {
            string path = Path.Combine(folder, manifest);
            if (new FileInfo(path).Length > MaxManifestLength)
            {
                throw new ImageFormatException(path, "file", MaxManifestLength, $"a manifest has at most {MaxManifestLength} bytes");
            }
            int offset = 0;
            int number = 0;
            foreach (string raw in File.ReadAllText(path).Split('\n'))
            {
                number++;
                int lineOffset = offset;
                offset += raw.Length + 1;
                string line = raw.TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }
                (string expected, string name) = ParseLine(line, manifest, path, number, lineOffset);
                string file = Path.Combine(folder, name);
                cancellationToken.ThrowIfCancellationRequested();
                string? actual = File.Exists(file) ? Digest(manifest, file, cancellationToken) : null;
                var entry = new ManifestEntry(manifest, number, file, expected, actual);
                results.Add(entry);
                progress?.Invoke(entry);
            }
        }
        return results;
    }

    /// <summary>The folder's files that no manifest lists (manifests themselves excluded unless another lists them).</summary>
    public static IReadOnlyList<string> Unprotected(string folder, IEnumerable<ManifestEntry> checks)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var covered = new HashSet<string>(checks.Select(check => Path.GetFileName(check.File)), StringComparer.Ordinal);
        return [.. Directory.EnumerateFiles(folder).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)
            .Where(file => !covered.Contains(file) && !ClonezillaFolder.ManifestNames.Contains(file))];
    }

    /// <summary>The digest a manifest uses, of a whole file, as lower-case hex.</summary>
    public static string Digest(string manifest, string file, CancellationToken cancellationToken = default)
    {
        using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        byte[] buffer = new byte[ReadSize];
        switch (manifest)
        {
            case "B3SUMS":
                using (Blake3.Hasher hasher = Blake3.Hasher.New())
                {
                    int got;
                    while ((got = stream.Read(buffer)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        hasher.Update(buffer.AsSpan(0, got));
                    }
                    return hasher.Finalize().ToString();
                }
            case "B2SUMS":
                // No key: plain BLAKE2b with a 512-bit digest, b2sum's default.
                using (var blake2 = new HMACBlake2B(512))
                {
                    return Convert.ToHexStringLower(blake2.ComputeHash(stream));
                }
            default:
                using (IncrementalHash hash = IncrementalHash.CreateHash(manifest == "MD5SUMS" ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA1))
                {
                    int got;
                    while ((got = stream.Read(buffer)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        hash.AppendData(buffer, 0, got);
                    }
                    return Convert.ToHexStringLower(hash.GetHashAndReset());
                }
        }
    }

    private static (string Digest, string Name) ParseLine(string line, string manifest, string path, int number, int offset)
    {
        int expectedLength = manifest switch
        {
            "MD5SUMS" => 32,
            "SHA1SUMS" => 40,
            "B2SUMS" => 128,
            _ => 64,
        };
        // coreutils: HEX, a space, then a space (text) or '*' (binary), then the name.
        if (line.Length < expectedLength + 3 || line[expectedLength] != ' ' || line[expectedLength + 1] is not (' ' or '*')
            || line.AsSpan(0, expectedLength).ContainsAnyExcept(s_hexDigits))
        {
            throw new ImageFormatException(path, $"line {number}", offset,
                $"not '<{expectedLength} hex digits>  <file>' as {manifest} holds");
        }
        string name = line[(expectedLength + 2)..];
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ImageFormatException(path, $"line {number}", offset, $"'{name}' is not a file of the folder");
        }
        return (line[..expectedLength].ToLowerInvariant(), name);
    }
}
