using System.Buffers.Binary;
using System.IO.Hashing;
using Crc32 = ForensicPipe.Formats.Checksums.Crc32;

namespace ForensicPipe.Formats.Partclone;

/// <summary>
/// The running data checksum of a partclone 0002 image (docs/formats/partclone.md, "XXH checksums"):
/// pc-crc for mode 0x20, XXH64 (seed 0) for 0x30, XXH3-128 (seed 0, default secret) for 0x31. Values are
/// compared as numbers: the stored bytes read little-endian (<see cref="ReadStored"/>) against
/// <see cref="Current"/>; XXH3-128 is stored as partclone's C struct <c>{low64, high64}</c>, each half
/// little-endian, so the 16 bytes read as one little-endian <see cref="UInt128"/> are its value.
/// One instance per sequential pass; <see cref="Append"/> takes spans of any length and never allocates.
/// </summary>
internal sealed class PartcloneGroupHash
{
    private readonly PartcloneChecksumMode _mode;
    private readonly XxHash64? _xxh64;
    private readonly XxHash128? _xxh128;
    private uint _crc = PartcloneHeader.CrcSeed;

    /// <summary>Creates the state of <paramref name="mode"/> (0x20, 0x30 or 0x31), reset.</summary>
    public PartcloneGroupHash(PartcloneChecksumMode mode)
    {
        _mode = mode;
        switch (mode)
        {
            case PartcloneChecksumMode.Crc32:
                break;
            case PartcloneChecksumMode.XxHash64:
                _xxh64 = new XxHash64(0);
                break;
            case PartcloneChecksumMode.Xxh3128:
                _xxh128 = new XxHash128(0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a partclone 0002 data checksum mode.");
        }
    }

    /// <summary>The algorithm.</summary>
    public PartcloneChecksumMode Mode => _mode;

    /// <summary>Adds <paramref name="data"/> to the running checksum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        switch (_mode)
        {
            case PartcloneChecksumMode.Xxh3128:
                _xxh128!.Append(data);
                break;
            case PartcloneChecksumMode.XxHash64:
                _xxh64!.Append(data);
                break;
            default:
                _crc = Crc32.Update(_crc, data);
                break;
        }
    }

    /// <summary>The value partclone would store now: the raw CRC register (no final inversion), or the XXH
    /// digest; the state is unchanged, so a <c>-K</c> image continues from it.</summary>
    public UInt128 Current => _mode switch
    {
        PartcloneChecksumMode.Xxh3128 => _xxh128!.GetCurrentHashAsUInt128(),
        PartcloneChecksumMode.XxHash64 => _xxh64!.GetCurrentHashAsUInt64(),
        _ => _crc,
    };

    /// <summary>Back to the start state (partclone's reseed after every stored value).</summary>
    public void Reset()
    {
        switch (_mode)
        {
            case PartcloneChecksumMode.Xxh3128:
                _xxh128!.Reset();
                break;
            case PartcloneChecksumMode.XxHash64:
                _xxh64!.Reset();
                break;
            default:
                _crc = PartcloneHeader.CrcSeed;
                break;
        }
    }

    /// <summary>A stored checksum of 4, 8 or 16 bytes read as a little-endian number.</summary>
    public static UInt128 ReadStored(ReadOnlySpan<byte> stored) => stored.Length switch
    {
        sizeof(uint) => BinaryPrimitives.ReadUInt32LittleEndian(stored),
        sizeof(ulong) => BinaryPrimitives.ReadUInt64LittleEndian(stored),
        16 => BinaryPrimitives.ReadUInt128LittleEndian(stored),
        _ => throw new ArgumentOutOfRangeException(nameof(stored), stored.Length, "A stored checksum has 4, 8 or 16 bytes."),
    };

    /// <summary>Hex of a checksum value, <paramref name="size"/> × 2 digits, most significant first (for
    /// XXH3-128: high64 then low64, as <c>xxhsum -H2</c> prints it).</summary>
    public static string Format(UInt128 value, int size) => size switch
    {
        sizeof(uint) => ((uint)value).ToString("x8"),
        sizeof(ulong) => ((ulong)value).ToString("x16"),
        _ => $"{(ulong)(value >> 64):x16}{(ulong)value:x16}",
    };
}
