using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Fuzz.Targets;

/// <summary>
/// Split sets (<c>NAME.aa</c>, <c>NAME.ab</c>, …): the input after its first two bytes is cut into pieces, read forward
/// through <see cref="SequentialImage"/> (with any compression under it) and at offsets through <see cref="ImageFile"/>.
/// Byte 0 picks the piece size (1 to 4096 bytes), byte 1 the damage: none, a missing piece, a short middle piece,
/// a long last piece, or the widening names of <c>split</c> beyond <c>.yz</c>.
/// </summary>
public sealed class SplitSetTarget : FuzzTarget
{
    /// <summary>Pieces written at most; the last takes the rest of the input. Every piece is a file created and
    /// deleted per input: 700 one-byte pieces took 59 ms an input here, 64 took 9 ms. Damage 4 starts the names at
    /// <c>.yy</c>, so the widening past <c>.yz</c> is still reached within a few pieces.</summary>
    private const int MaxPieces = 64;

    /// <inheritdoc />
    public override string Name => "split";

    /// <inheritdoc />
    public override string Description => "split set pieces (.aa, .ab, ...) through SequentialImage and ImageFile";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input, FuzzScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (input.Length < 3)
        {
            return;
        }
        int pieceSize = 1 + (input[0] * 4096 / 256);
        int damage = input[1] % 5;
        ReadOnlySpan<byte> data = input[2..];
        int count = Math.Min(MaxPieces, (data.Length + pieceSize - 1) / pieceSize);
        string suffix = damage == 4 ? "yy" : "aa";
        string first = "";
        for (int i = 0; i < count; i++)
        {
            int start = i * pieceSize;
            int length = i == count - 1 ? data.Length - start : pieceSize;
            if (damage == 2 && i == count / 2 && count > 2)
            {
                length /= 2;
            }
            if (!(damage == 1 && i == count / 2 && count > 2))
            {
                string path = scratch.Write($"image.{suffix}", data.Slice(start, Math.Min(length, data.Length - start)));
                first = first.Length == 0 ? path : first;
            }
            suffix = Next(suffix);
        }
        if (damage == 3)
        {
            scratch.Write($"image.{suffix}", data[..Math.Min(data.Length, pieceSize + 1)]);
        }
        FuzzRead.Both(
            () => FuzzRead.DrainStream(SequentialImage.Open(first).Stream),
            () => ReadWhole(first));
    }

    /// <summary>GNU split's next suffix: <c>aa</c> to <c>yz</c>, then <c>zaaa</c> (coreutils split.c, next_file_name).</summary>
    private static string Next(string suffix)
    {
        if (suffix == "yz")
        {
            return "zaaa";
        }
        char[] letters = suffix.ToCharArray();
        for (int i = letters.Length - 1; i >= 0; i--)
        {
            if (letters[i] < 'z')
            {
                letters[i]++;
                return new string(letters);
            }
            letters[i] = 'a';
        }
        return "z" + new string(letters) + "a";
    }

    private static void ReadWhole(string path)
    {
        using ImageFile file = ImageFile.Open(path);
        byte[] buffer = new byte[4093];
        for (long offset = 0; offset <= file.Length; offset += buffer.Length)
        {
            file.ReadAt(offset, buffer);
        }
    }
}
