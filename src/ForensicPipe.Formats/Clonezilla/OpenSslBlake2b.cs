using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Clonezilla;

/// <summary>
/// BLAKE2b-512 (unkeyed, as coreutils <c>b2sum</c>) through OpenSSL 3's <c>EVP_blake2b512</c> in <c>libcrypto.so.3</c>,
/// the library .NET's own hashes already use on Linux. It hashes about 2.4 times as fast as the managed
/// Konscious implementation on this project's benchmark machine (docs/performance.md, "Clonezilla folder"), which
/// made <c>B2SUMS</c> the slowest of a folder's four manifests.
/// </summary>
internal sealed unsafe partial class OpenSslBlake2b : IDisposable
{
    /// <summary>The shared library.</summary>
    public const string Library = "libcrypto.so.3";

    /// <summary>Bytes of the digest.</summary>
    public const int DigestLength = 64;

    private static readonly Lazy<bool> s_available = new(Probe);

    private nint _context;

    /// <summary>A hasher ready for the first bytes.</summary>
    /// <exception cref="InvalidOperationException">libcrypto could not start a digest.</exception>
    public OpenSslBlake2b()
    {
        _context = EVP_MD_CTX_new();
        if (_context == 0 || EVP_DigestInit_ex(_context, EVP_blake2b512(), 0) != 1)
        {
            Dispose();
            throw new InvalidOperationException("libcrypto could not start a BLAKE2b-512 digest");
        }
    }

    /// <summary>Whether libcrypto 3 loads and has BLAKE2b-512 on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>Adds the next bytes.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            if (EVP_DigestUpdate(_context, bytes, (nuint)data.Length) != 1)
            {
                throw new InvalidOperationException("libcrypto's BLAKE2b-512 update failed");
            }
        }
    }

    /// <summary>The digest of everything added.</summary>
    public byte[] Finish()
    {
        byte[] digest = new byte[DigestLength];
        uint length = 0;
        fixed (byte* output = digest)
        {
            if (EVP_DigestFinal_ex(_context, output, &length) != 1 || length != DigestLength)
            {
                throw new InvalidOperationException("libcrypto's BLAKE2b-512 could not finish");
            }
        }
        return digest;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_context != 0)
        {
            EVP_MD_CTX_free(_context);
            _context = 0;
        }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out _))
        {
            return false;
        }
        try
        {
            using var hasher = new OpenSslBlake2b();
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Library)]
    private static partial nint EVP_MD_CTX_new();

    [LibraryImport(Library)]
    private static partial void EVP_MD_CTX_free(nint context);

    [LibraryImport(Library)]
    private static partial nint EVP_blake2b512();

    [LibraryImport(Library)]
    private static partial int EVP_DigestInit_ex(nint context, nint type, nint engine);

    [LibraryImport(Library)]
    private static partial int EVP_DigestUpdate(nint context, byte* data, nuint count);

    [LibraryImport(Library)]
    private static partial int EVP_DigestFinal_ex(nint context, byte* digest, uint* length);
}
