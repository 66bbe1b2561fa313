using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Core.Sinks;

/// <summary>Digests of one byte range in several algorithms at once (a split piece, or what a sink wrote).</summary>
internal sealed class DigestSet : IDisposable
{
    private readonly (string Name, IncrementalHash Hash)[] _hashes;

    /// <summary>Starts a digest for each of <paramref name="algorithms"/> (names of <see cref="HashAlgorithmKind"/>).</summary>
    public DigestSet(IEnumerable<string> algorithms)
    {
        _hashes = [.. algorithms.Distinct().Select(name => (name, IncrementalHash.CreateHash(HashAlgorithmKind.ToBcl(name))))];
    }

    /// <summary>Bytes hashed.</summary>
    public long Bytes { get; private set; }

    /// <summary>Whether any algorithm is computed.</summary>
    public bool IsEmpty => _hashes.Length == 0;

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        foreach ((string _, IncrementalHash hash) in _hashes)
        {
            hash.AppendData(data);
        }
        Bytes += data.Length;
    }

    /// <summary>Hashes <paramref name="length"/> zeros (holes and unfilled ranges read back as zeros).</summary>
    public void AppendZeros(long length) => Extents.ZeroBytes.ForEachChunk(length, this, (self, zeros) => self.Append(zeros));

    /// <summary>Finishes every digest: algorithm → lower-case hex.</summary>
    public IReadOnlyDictionary<string, string> Finish() =>
        _hashes.ToDictionary(entry => entry.Name, entry => Convert.ToHexStringLower(entry.Hash.GetHashAndReset()));

    /// <summary>The digests as a JSON object.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, string> digests) =>
        new([.. digests.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]);

    public void Dispose()
    {
        foreach ((string _, IncrementalHash hash) in _hashes)
        {
            hash.Dispose();
        }
    }
}
