using System.Buffers;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// zstd over the system's libzstd (<c>libzstd.so.1</c>, streaming API of zstd.h). libzstd decodes concatenated frames
/// one after the other, skips skippable frames and checks a frame's content checksum (XXH64) when the frame has one
/// (docs/formats/compression-and-split.md). Windows up to libzstd's default limit (2^27 bytes) are accepted, which
/// bounds the decoder's memory.
/// </summary>
internal sealed unsafe partial class ZstdDecoder : ICompressedDecoder
{
    /// <summary>The shared library.</summary>
    public const string Library = "libzstd.so.1";

    /// <summary>The Debian package that holds <see cref="Library"/>.</summary>
    public const string Package = "libzstd1";

    private static readonly Lazy<bool> s_available = new(() => OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private nint _stream;
    private bool _atFrameEnd = true;

    public ZstdDecoder()
    {
        _stream = ZSTD_createDStream();
        if (_stream == 0)
        {
            throw new InvalidOperationException("libzstd could not allocate a decoder");
        }
        nuint result = ZSTD_initDStream(_stream);
        if (ZSTD_isError(result) != 0)
        {
            throw new CompressedDataException($"libzstd could not start a decoder: {ErrorName(result)}", 0);
        }
    }

    /// <summary>Whether libzstd can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    public string Name => "zstd";

    public OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written)
    {
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            var inBuffer = new InBuffer { Source = source, Size = (nuint)input.Length };
            var outBuffer = new OutBuffer { Destination = destination, Size = (nuint)output.Length };
            while (true)
            {
                nuint inBefore = inBuffer.Position;
                nuint outBefore = outBuffer.Position;
                nuint hint = ZSTD_decompressStream(_stream, &outBuffer, &inBuffer);
                if (ZSTD_isError(hint) != 0)
                {
                    // libzstd does not say where in the input it stopped: the damage lies before the end of it.
                    throw new CompressedDataException($"zstd data error: {ErrorName(hint)}", input.Length);
                }
                // With no input left after a frame, libzstd asks for the next frame's header: that is no progress, and
                // the stream still ends on a frame boundary.
                if (inBuffer.Position != inBefore || outBuffer.Position != outBefore)
                {
                    _atFrameEnd = hint == 0;
                }
                consumed = (int)inBuffer.Position;
                written = (int)outBuffer.Position;
                if (outBuffer.Position == outBuffer.Size)
                {
                    return OperationStatus.DestinationTooSmall;
                }
                if (inBuffer.Position == inBuffer.Size)
                {
                    if (!final)
                    {
                        return OperationStatus.NeedMoreData;
                    }
                    if (!_atFrameEnd)
                    {
                        throw new CompressedDataException("zstd data ends inside a frame: the file is truncated", consumed);
                    }
                    return OperationStatus.Done;
                }
            }
        }
    }

    private static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)ZSTD_getErrorName(code)) ?? $"code {code}";

    public void Dispose()
    {
        if (_stream != 0)
        {
            _ = ZSTD_freeDStream(_stream);
            _stream = 0;
        }
    }

    /// <summary><c>ZSTD_inBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct InBuffer
    {
        public byte* Source;
        public nuint Size;
        public nuint Position;
    }

    /// <summary><c>ZSTD_outBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OutBuffer
    {
        public byte* Destination;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(Library)]
    private static partial nint ZSTD_createDStream();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_initDStream(nint stream);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_decompressStream(nint stream, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_freeDStream(nint stream);

    [LibraryImport(Library)]
    private static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    private static partial byte* ZSTD_getErrorName(nuint code);
}
