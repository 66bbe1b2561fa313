using System.Security.Cryptography;
using Konscious.Security.Cryptography;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>The running digest one manifest asks of a file: MD5, SHA-1, BLAKE2b-512 (b2sum's default, no key) or
/// BLAKE3-256. Several of them are fed the same buffers, so that a file is read once for all manifests.</summary>
internal sealed class ManifestHasher : IDisposable
{
    private readonly IncrementalHash? _hash;
    private readonly HMACBlake2B? _blake2;
    private readonly OpenSslBlake2b? _nativeBlake2;
    private Blake3.Hasher? _blake3;

    /// <summary>The hasher of <paramref name="manifest"/> (<c>MD5SUMS</c>, <c>SHA1SUMS</c>, <c>B2SUMS</c>, <c>B3SUMS</c>).</summary>
    public ManifestHasher(string manifest)
    {
        Manifest = manifest;
        switch (manifest)
        {
            case "B3SUMS":
                _blake3 = Blake3.Hasher.New();
                break;
            case "B2SUMS" when OpenSslBlake2b.IsAvailable:
                _nativeBlake2 = new OpenSslBlake2b();
                break;
            case "B2SUMS":
                // Without libcrypto 3 (not on Linux): the managed implementation, same digest, slower.
                _blake2 = new HMACBlake2B(512);
                _blake2.Initialize();
                break;
            default:
                _hash = IncrementalHash.CreateHash(manifest == "MD5SUMS" ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA1);
                break;
        }
    }

    /// <summary>The manifest whose digest this is.</summary>
    public string Manifest { get; }

    /// <summary>Adds the next bytes of the file.</summary>
    public void Update(byte[] buffer, int count)
    {
        if (_blake3 is Blake3.Hasher blake3)
        {
            // The struct holds a handle to the native state: the copy updates the same state.
            blake3.Update(buffer.AsSpan(0, count));
        }
        else if (_nativeBlake2 is not null)
        {
            _nativeBlake2.Update(buffer.AsSpan(0, count));
        }
        else if (_blake2 is not null)
        {
            _blake2.TransformBlock(buffer, 0, count, null, 0);
        }
        else
        {
            _hash!.AppendData(buffer, 0, count);
        }
    }

    /// <summary>The digest of everything added, lower-case hex.</summary>
    public string Finish()
    {
        if (_blake3 is Blake3.Hasher blake3)
        {
            return blake3.Finalize().ToString();
        }
        if (_nativeBlake2 is not null)
        {
            return Convert.ToHexStringLower(_nativeBlake2.Finish());
        }
        if (_blake2 is not null)
        {
            _blake2.TransformFinalBlock([], 0, 0);
            return Convert.ToHexStringLower(_blake2.Hash!);
        }
        return Convert.ToHexStringLower(_hash!.GetHashAndReset());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_blake3 is Blake3.Hasher blake3)
        {
            blake3.Dispose();
            _blake3 = null;
        }
        _nativeBlake2?.Dispose();
        _blake2?.Dispose();
        _hash?.Dispose();
    }
}
