using System.Buffers.Binary;

namespace ForensicPipe.Fuzz;

/// <summary>
/// The mutations of the in-process campaign (no coverage feedback, fixed seed, so a run is repeatable): bit flips,
/// interesting bytes and integers (0, ±1, the sign and width boundaries) written over 1, 2, 4 or 8 bytes in either
/// byte order, deleted, duplicated or random chunks, truncation, and splices with another seed. Half the
/// positions fall into the first 4 KiB, where headers, bitmaps and tables are.
/// </summary>
public sealed class FuzzMutator
{
    private const int HeadBytes = 4096;

    private static readonly ulong[] s_interesting =
    [
        0, 1, 2, 7, 8, 16, 255, 256, 511, 512, 4095, 4096, 65535, 65536, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 44,
    ];

    private readonly Random _random;

    /// <summary>A mutator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public FuzzMutator(int seed) => _random = new Random(seed);

    /// <summary>A mutation of <paramref name="input"/> (one to four operations); <paramref name="other"/> is spliced in.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        var bytes = new List<byte>(input);
        int operations = 1 + _random.Next(4);
        for (int i = 0; i < operations; i++)
        {
            MutateOnce(bytes, other);
        }
        return [.. bytes];
    }

    private void MutateOnce(List<byte> bytes, byte[] other)
    {
        if (bytes.Count == 0)
        {
            bytes.Add((byte)_random.Next(256));
            return;
        }
        int at = Position(bytes.Count);
        switch (_random.Next(10))
        {
            case 0:
            case 1:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 2:
                bytes[at] = (byte)s_interesting[_random.Next(s_interesting.Length)];
                break;
            case 3:
            case 4:
                WriteInteger(bytes, at);
                break;
            case 5:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(64)));
                break;
            case 6:
                int length = Math.Min(bytes.Count - at, 1 + _random.Next(256));
                bytes.InsertRange(Position(bytes.Count), bytes.GetRange(at, length));
                break;
            case 7:
                for (int i = at, end = Math.Min(bytes.Count, at + 1 + _random.Next(16)); i < end; i++)
                {
                    bytes[i] = (byte)_random.Next(256);
                }
                break;
            case 8:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                if (other.Length > 0)
                {
                    int from = Position(other.Length);
                    int count = Math.Min(other.Length - from, 1 + _random.Next(512));
                    int to = Math.Min(at, bytes.Count);
                    bytes.RemoveRange(to, Math.Min(count, bytes.Count - to));
                    bytes.InsertRange(to, other.AsSpan(from, count).ToArray());
                }
                break;
        }
    }

    private void WriteInteger(List<byte> bytes, int at)
    {
        int width = 1 << (1 + _random.Next(3));
        ulong value = s_interesting[_random.Next(s_interesting.Length)];
        if (_random.Next(3) == 0)
        {
            value += (ulong)(_random.Next(3) - 1);
        }
        Span<byte> field = stackalloc byte[8];
        if (_random.Next(4) == 0)
        {
            BinaryPrimitives.WriteUInt64BigEndian(field, value);
            field = field[(8 - width)..];
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(field, value);
            field = field[..width];
        }
        for (int i = 0; i < field.Length && at + i < bytes.Count; i++)
        {
            bytes[at + i] = field[i];
        }
    }

    private int Position(int count) =>
        _random.Next(2) == 0 ? _random.Next(Math.Min(count, HeadBytes)) : _random.Next(count);
}
