using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Checksums;

public static partial class Crc32
{
    /// <summary>Reflected CRC-32 polynomial (ISO 3309 / ITU-T V.42 0x04C11DB7, bit-reversed).</summary>
    internal const uint ReflectedPolynomial = 0xEDB88320;

    /// <summary>
    /// Slicing-by-8 tables (Intel, Kounavis and Berry, "A Systematic Approach to Building High Performance,
    /// Software-based, CRC Generators", 2005): entry <c>k * 256 + n</c> is the register, from 0, after byte
    /// <c>n</c> followed by <c>k</c> zero bytes. Table 0 is the classic byte table.
    /// </summary>
    private static readonly uint[] s_table = CreateTable();

    /// <summary>
    /// Advances the register with the slicing-by-8 table only (any CPU, any length).
    /// </summary>
    internal static uint UpdateTable(uint register, ReadOnlySpan<byte> data)
    {
        ref uint table = ref MemoryMarshal.GetArrayDataReference(s_table);
        uint r = register;

        while (data.Length >= 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ r;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            r = Unsafe.Add(ref table, (7 * 256) + (int)(byte)lo)
                ^ Unsafe.Add(ref table, (6 * 256) + (int)(byte)(lo >> 8))
                ^ Unsafe.Add(ref table, (5 * 256) + (int)(byte)(lo >> 16))
                ^ Unsafe.Add(ref table, (4 * 256) + (int)(lo >> 24))
                ^ Unsafe.Add(ref table, (3 * 256) + (int)(byte)hi)
                ^ Unsafe.Add(ref table, (2 * 256) + (int)(byte)(hi >> 8))
                ^ Unsafe.Add(ref table, 256 + (int)(byte)(hi >> 16))
                ^ Unsafe.Add(ref table, (int)(hi >> 24));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            r = (r >> 8) ^ Unsafe.Add(ref table, (int)(byte)(r ^ b));
        }

        return r;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint r = n;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 1) != 0 ? (r >> 1) ^ ReflectedPolynomial : r >> 1;
            }

            table[n] = r;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int n = 0; n < 256; n++)
            {
                uint previous = table[((k - 1) * 256) + n];
                table[(k * 256) + n] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
