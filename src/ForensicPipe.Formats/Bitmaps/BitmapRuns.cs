using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using ForensicPipe.Formats.Partclone;

namespace ForensicPipe.Formats.Bitmaps;

/// <summary>
/// Enumerates the blocks <c>[start, limit)</c> of a block bitmap (<see cref="PartcloneBitmap"/>, which partclone and
/// partimage images both load) as maximal runs of used and unused blocks, in block order. The one walk of a bitmap
/// that the sequential readers and the random-access readers share: a run's end is found 64 bits at a time, the
/// first word masked, then whole words compared many at a time (<see cref="MemoryExtensions.IndexOfAnyExcept{T}(ReadOnlySpan{T}, T)"/>)
/// and the differing bit located with <see cref="BitOperations.TrailingZeroCount(ulong)"/>. Bits at or beyond
/// <c>limit</c> are never looked at as run members, so stored bits past the bitmap's length do not matter
/// (docs/formats/partclone.md, "Format 0002: bitmap"). A mutable struct: use it in one <c>foreach</c>.
/// </summary>
public struct BitmapRuns
{
    private readonly PartcloneBitmap _bitmap;
    private readonly long _limit;
    private long _position;
    private BitmapRun _current;

    internal BitmapRuns(PartcloneBitmap bitmap, long start, long limit)
    {
        _bitmap = bitmap;
        _position = start;
        _limit = limit;
    }

    /// <summary>The run found by the last <see cref="MoveNext"/>.</summary>
    public readonly BitmapRun Current => _current;

    /// <summary>This enumerator, for <c>foreach</c>.</summary>
    public readonly BitmapRuns GetEnumerator() => this;

    /// <summary>Finds the next run; false once the limit is reached.</summary>
    public bool MoveNext()
    {
        long start = _position;
        if (start >= _limit)
        {
            return false;
        }
        long position = start;
        ulong same = 0; // the run's bit in every position: all ones for a used run
        bool first = true;
        while (true)
        {
            int chunkIndex = (int)(position / PartcloneBitmap.BitsPerChunk);
            long chunkBase = chunkIndex * PartcloneBitmap.BitsPerChunk;
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(_bitmap.GetChunk(chunkIndex));
            int word = (int)((position - chunkBase) >> 6);
            // Words of this chunk up to the one that holds block limit − 1.
            int wordEnd = (int)Math.Min(words.Length, (_limit - chunkBase + 63) >> 6);
            ulong bits = LittleEndian(words[word]);
            int shift = (int)(position & 63);
            if (first)
            {
                same = ((bits >> shift) & 1) != 0 ? ulong.MaxValue : 0;
                first = false;
            }
            ulong differing = (bits ^ same) & (ulong.MaxValue << shift);
            if (differing == 0 && ++word < wordEnd)
            {
                // Most runs end in the next word; longer ones are scanned many words at a time.
                differing = LittleEndian(words[word]) ^ same;
                if (differing == 0 && ++word < wordEnd)
                {
                    int found = words[word..wordEnd].IndexOfAnyExcept(same);
                    if (found < 0)
                    {
                        word = wordEnd;
                    }
                    else
                    {
                        word += found;
                        differing = LittleEndian(words[word]) ^ same;
                    }
                }
            }
            if (differing != 0)
            {
                position = Math.Min(chunkBase + ((long)word * 64) + BitOperations.TrailingZeroCount(differing), _limit);
                break;
            }
            position = chunkBase + ((long)word * 64);
            if (position >= _limit)
            {
                position = _limit;
                break;
            }
        }
        _current = new BitmapRun(start, position - start, same != 0);
        _position = position;
        return true;
    }

    /// <summary>Bit <c>i</c> of a word is block <c>64·w + i</c>: the packed bytes are read little-endian
    /// (LSB-first bits, docs/formats/partclone.md, "Format 0002: bitmap").</summary>
    private static ulong LittleEndian(ulong stored) => BitConverter.IsLittleEndian ? stored : BinaryPrimitives.ReverseEndianness(stored);
}
