using System.Buffers;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// lz4 frames over the system's liblz4 (<c>liblz4.so.1</c>, lz4frame.h). Frames follow one another (as <c>lz4 -dc</c>
/// reads concatenated files); liblz4 skips skippable frames and checks the block and content checksums a frame declares
/// (docs/formats/compression-and-split.md). The legacy format of <c>lz4 -l</c> is not an lz4 frame and is not read.
/// </summary>
internal sealed unsafe partial class Lz4Decoder : ICompressedDecoder
{
    /// <summary>The shared library.</summary>
    public const string Library = "liblz4.so.1";

    /// <summary>The Debian package that holds <see cref="Library"/>.</summary>
    public const string Package = "liblz4-1";

    /// <summary><c>LZ4F_VERSION</c>: the frame API version this code was written against.</summary>
    private const uint FrameApiVersion = 100;

    private static readonly Lazy<bool> s_available = new(() => OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private nint _context;
    private bool _atFrameEnd = true;

    public Lz4Decoder()
    {
        nint context;
        nuint result = LZ4F_createDecompressionContext(&context, FrameApiVersion);
        if (LZ4F_isError(result) != 0)
        {
            throw new InvalidOperationException($"liblz4 could not start a decoder: {ErrorName(result)}");
        }
        _context = context;
    }

    /// <summary>Whether liblz4 can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    public string Name => "lz4";

    public OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            while (true)
            {
                nuint inSize = (nuint)(input.Length - consumed);
                nuint outSize = (nuint)(output.Length - written);
                nuint hint = LZ4F_decompress(_context, destination + written, &outSize, source + consumed, &inSize, null);
                if (LZ4F_isError(hint) != 0)
                {
                    // liblz4 does not say where in the input it stopped: the damage lies before the end of it.
                    throw new CompressedDataException($"lz4 data error: {ErrorName(hint)}", input.Length);
                }
                consumed += (int)inSize;
                written += (int)outSize;
                if (inSize != 0 || outSize != 0)
                {
                    _atFrameEnd = hint == 0;
                }
                if (written == output.Length)
                {
                    return OperationStatus.DestinationTooSmall;
                }
                if (consumed == input.Length)
                {
                    if (!final)
                    {
                        return OperationStatus.NeedMoreData;
                    }
                    if (!_atFrameEnd)
                    {
                        throw new CompressedDataException("lz4 data ends inside a frame: the file is truncated", consumed);
                    }
                    return OperationStatus.Done;
                }
                if (inSize == 0 && outSize == 0)
                {
                    throw new CompressedDataException("lz4 decoder made no progress", consumed);
                }
                // A frame ended before the input did: the next call starts the next frame.
            }
        }
    }

    private static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)LZ4F_getErrorName(code)) ?? $"code {code}";

    public void Dispose()
    {
        if (_context != 0)
        {
            _ = LZ4F_freeDecompressionContext(_context);
            _context = 0;
        }
    }

    [LibraryImport(Library)]
    private static partial nuint LZ4F_createDecompressionContext(nint* context, uint version);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_freeDecompressionContext(nint context);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_decompress(nint context, byte* destination, nuint* destinationSize, byte* source, nuint* sourceSize, void* options);

    [LibraryImport(Library)]
    private static partial uint LZ4F_isError(nuint code);

    [LibraryImport(Library)]
    private static partial byte* LZ4F_getErrorName(nuint code);
}
