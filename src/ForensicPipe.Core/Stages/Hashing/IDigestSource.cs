namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>A sink that computes a digest of the whole stream itself, in order, as part of what it writes (an
/// E01 set stores the MD5 and SHA-1 of its media). A hash stage asking for the same algorithm without windows
/// takes the digest from it instead of hashing the stream a second time (<see cref="HashConsumer.SharedFrom"/>).</summary>
public interface IDigestSource
{
    /// <summary>The sink's name, for the report.</summary>
    string Name { get; }

    /// <summary>Whether the sink computes <paramref name="algorithm"/> over every byte it is handed.</summary>
    bool Computes(string algorithm);

    /// <summary>The digest of exactly the bytes the sink was handed (lower-case hex), once it completed; else null.</summary>
    string? StreamDigest(string algorithm);
}
