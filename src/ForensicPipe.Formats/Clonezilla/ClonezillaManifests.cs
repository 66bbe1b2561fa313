using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// Checks a folder's manifests (docs/formats/clonezilla.md, "Manifests"): <c>MD5SUMS</c>, <c>SHA1SUMS</c>,
/// <c>B2SUMS</c> (BLAKE2b-512, as coreutils b2sum) and <c>B3SUMS</c> (BLAKE3-256, as b3sum), each in coreutils
/// format (<c>HEX  NAME</c> or <c>HEX *NAME</c>), against the files as stored. Every file is read once, whatever the number of manifests listing it: each
/// buffer feeds all its digests at once.
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
    public static IReadOnlyList<ManifestEntry> Check(string folder, Action<ManifestEntry>? progress = null, CancellationToken cancellationToken = default) =>
        Check(Read(folder), progress, cancellationToken);

    /// <summary>Reads and parses every manifest in <paramref name="folder"/> without hashing anything: one entry per
    /// line, <see cref="ManifestEntry.Actual"/> null. Cheap, so that a malformed manifest is refused before any
    /// long work starts.</summary>
    /// <exception cref="ImageFormatException">A manifest line that does not parse (with its byte offset).</exception>
    public static IReadOnlyList<ManifestEntry> Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var lines = new List<ManifestEntry>();
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
                lines.Add(new ManifestEntry(manifest, number, Path.Combine(folder, name), expected, null));
            }
        }
        return lines;
    }

    /// <summary>Hashes the files of <paramref name="lines"/> (from <see cref="Read"/>) and gives each line its
    /// computed digest (null: the file is missing); <paramref name="progress"/> sees each result as it comes.</summary>
    public static IReadOnlyList<ManifestEntry> Check(IReadOnlyList<ManifestEntry> lines, Action<ManifestEntry>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        // One read of each listed file for every manifest that lists it (docs/formats/clonezilla.md, "Manifests").
        var digests = new Dictionary<(string File, string Manifest), string?>();
        foreach (IGrouping<string, string> file in lines.GroupBy(line => line.File, line => line.Manifest))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] manifests = [.. file.Distinct()];
            Dictionary<string, string>? computed = File.Exists(file.Key) ? Digests(manifests, file.Key, cancellationToken) : null;
            foreach (string manifest in manifests)
            {
                digests[(file.Key, manifest)] = computed?[manifest];
            }
        }
        var results = new List<ManifestEntry>(lines.Count);
        foreach (ManifestEntry line in lines)
        {
            ManifestEntry entry = line with { Actual = digests[(line.File, line.Manifest)] };
            results.Add(entry);
            progress?.Invoke(entry);
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
    public static string Digest(string manifest, string file, CancellationToken cancellationToken = default) =>
        Digests([manifest], file, cancellationToken)[manifest];

    /// <summary>The digests of <paramref name="manifests"/> of one file, read once; with several, each buffer is hashed
    /// by all of them in parallel.</summary>
    private static Dictionary<string, string> Digests(string[] manifests, string file, CancellationToken cancellationToken)
    {
        ManifestHasher[] hashers = [.. manifests.Select(manifest => new ManifestHasher(manifest))];
        try
        {
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            byte[] buffer = new byte[ReadSize];
            int got;
            while ((got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (hashers.Length == 1)
                {
                    hashers[0].Update(buffer, got);
                }
                else
                {
                    Parallel.ForEach(hashers, hasher => hasher.Update(buffer, got));
                }
            }
            return hashers.ToDictionary(hasher => hasher.Manifest, hasher => hasher.Finish());
        }
        finally
        {
            foreach (ManifestHasher hasher in hashers)
            {
                hasher.Dispose();
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
