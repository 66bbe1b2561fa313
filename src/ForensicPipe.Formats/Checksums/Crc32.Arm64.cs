using System.Buffers.Binary;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace ForensicPipe.Formats.Checksums;

public static partial class Crc32
{
    /// <summary>
    /// Advances the register with the ARMv8 CRC32B/CRC32X instructions, which implement this polynomial
    /// (0xEDB88320 reflected) without pre- or post-inversion. Requires <c>Crc32.Arm64.IsSupported</c>
    /// (System.Runtime.Intrinsics.Arm).
    /// </summary>
    internal static uint UpdateArm64(uint register, ReadOnlySpan<byte> data)
    {
        uint r = register;
        while (data.Length >= 8)
        {
            r = ArmCrc32.Arm64.ComputeCrc32(r, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            r = ArmCrc32.ComputeCrc32(r, b);
        }

        return r;
    }
}
