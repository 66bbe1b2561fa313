using System.Buffers.Binary;
using System.Numerics;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Tells from a sample whether deflate would fail to make a chunk smaller, so that the writer stores it without
/// trying (docs/formats/e01.md, "Speed"). Random, encrypted and already compressed content — most of a typical
/// disk's allocated bytes — makes zlib spend its time for nothing: on the 2 GiB benchmark image 12 of 20 CPU
/// seconds went into compressing chunks that were then stored as they were. The sample is 16 bytes of every 64
/// (a quarter of the chunk). A chunk counts as incompressible when the sample's byte entropy is above
/// <see cref="EntropyLimitBits"/> bits per byte (Huffman coding could save under 1 %, less than deflate's block
/// overhead and the stored chunk's 4-byte checksum allow) and no two samples are equal (a repeat deflate could
/// refer back to, at a distance that is a multiple of 64 bytes, as the blocks of a file system are). Chunks that
/// pass either test are compressed as before; what the check can miss is high-entropy data repeated at another
/// distance inside one chunk, which is then stored uncompressed: a larger set, never a different medium.
/// </summary>
internal static class EwfIncompressibleCheck
{
    /// <summary>Sampled byte entropy above which a chunk is not compressed. Uniform random bytes measure about
    /// 7.98 over a 32 KiB chunk's 8 KiB sample; text and executables 4–6.5.</summary>
    public const double EntropyLimitBits = 7.95;

    private const int Stride = 64;
    private const int SampleBytes = 16;
    private const int SmallestChunk = 4096;

    // n log2 n for the counts of a 32 KiB chunk's sample, so that a chunk costs no logarithm.
    private static readonly float[] s_countLog = [.. Enumerable.Range(0, 8192 + 1).Select(n => n == 0 ? 0f : (float)(n * Math.Log2(n)))];

    /// <summary>Whether <paramref name="chunk"/> should be stored without trying deflate. Chunks under 4 KiB always
    /// go to deflate (a sample too small to judge).</summary>
    public static bool LooksIncompressible(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < SmallestChunk)
        {
            return false;
        }
        int samples = chunk.Length / Stride;
        Span<int> counts = stackalloc int[256];
        counts.Clear();
        // Open addressing over twice as many slots as samples.
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)samples * 2);
        Span<ulong> seen = slots <= 4096 ? stackalloc ulong[slots] : new ulong[slots];
        seen.Clear();
        for (int sample = 0; sample < samples; sample++)
        {
            ReadOnlySpan<byte> bytes = chunk.Slice(sample * Stride, SampleBytes);
            foreach (byte value in bytes)
            {
                counts[value]++;
            }
            if (!AddSample(seen, bytes))
            {
                return false;
            }
        }
        return Entropy(counts, samples * SampleBytes) > EntropyLimitBits;
    }

    // Returns false when a sample with the same 64-bit hash was seen before: always so for an equal sample; a
    // collision of different ones only means that the chunk is compressed.
    private static bool AddSample(Span<ulong> seen, ReadOnlySpan<byte> sample)
    {
        ulong head = BinaryPrimitives.ReadUInt64LittleEndian(sample);
        ulong tail = BinaryPrimitives.ReadUInt64LittleEndian(sample[8..]);
        ulong key = (head * 0x9E3779B97F4A7C15UL) ^ BitOperations.RotateLeft(tail * 0xC2B2AE3D27D4EB4FUL, 29);
        int mask = seen.Length - 1;
        int slot = (int)(key >> 40) & mask;
        ulong stored = key | 1; // 0 marks an empty slot
        while (seen[slot] != 0)
        {
            if (seen[slot] == stored)
            {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        seen[slot] = stored;
        return true;
    }

    private static double Entropy(ReadOnlySpan<int> counts, int total)
    {
        double sum = 0;
        foreach (int count in counts)
        {
            sum += count < s_countLog.Length ? s_countLog[count] : count * Math.Log2(count);
        }
        return Math.Log2(total) - sum / total;
    }
}
