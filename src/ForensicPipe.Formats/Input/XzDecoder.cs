using System.Buffers;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// xz over the system's liblzma (<c>liblzma.so.5</c>, lzma/container.h): <c>lzma_stream_decoder</c> with
/// <c>LZMA_CONCATENATED</c>, so concatenated .xz streams and stream padding are read as <c>xz -dc</c> reads them; every
/// block (as <c>xz -T0</c> writes many) is checked against its CRC32, CRC64 or SHA-256, and the index and stream
/// footer against the blocks (docs/formats/compression-and-split.md). The decoder's memory is capped at
/// <see cref="MemoryLimit"/>.
/// </summary>
internal sealed unsafe partial class XzDecoder : ICompressedDecoder
{
    /// <summary>The shared library.</summary>
    public const string Library = "liblzma.so.5";

    /// <summary>The Debian package that holds <see cref="Library"/>.</summary>
    public const string Package = "liblzma5";

    /// <summary>Decoder memory cap: <c>xz -9</c> (64 MiB dictionary) needs about 65 MiB, so every preset fits.</summary>
    public const ulong MemoryLimit = 256UL << 20;

    // lzma/container.h, lzma/base.h.
    private const uint Concatenated = 0x08;
    private const int Run = 0;
    private const int Finish = 3;
    private const int Ok = 0;
    private const int StreamEnd = 1;
    private const int MemoryLimitError = 6;
    private const int FormatError = 7;
    private const int DataError = 9;
    private const int BufferError = 10;

    private static readonly Lazy<bool> s_available = new(() => OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private LzmaStream* _stream;

    public XzDecoder()
    {
        _stream = (LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream));
        int result = lzma_stream_decoder(_stream, MemoryLimit, Concatenated);
        if (result != Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"liblzma could not start a decoder (lzma_ret {result})");
        }
    }

    /// <summary>Whether liblzma can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    public string Name => "xz";

    public OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written)
    {
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            _stream->NextIn = source;
            _stream->AvailIn = (nuint)input.Length;
            _stream->NextOut = destination;
            _stream->AvailOut = (nuint)output.Length;
            try
            {
                while (true)
                {
                    int result = lzma_code(_stream, final ? Finish : Run);
                    consumed = input.Length - (int)_stream->AvailIn;
                    written = output.Length - (int)_stream->AvailOut;
                    if (result == StreamEnd)
                    {
                        return OperationStatus.Done;
                    }
                    if (result != Ok)
                    {
                        throw new CompressedDataException(Describe(result, final), consumed);
                    }
                    if (_stream->AvailOut == 0)
                    {
                        return OperationStatus.DestinationTooSmall;
                    }
                    if (_stream->AvailIn == 0 && !final)
                    {
                        return OperationStatus.NeedMoreData;
                    }
                    // At the end of the file liblzma is called until it reports the end of the last stream, or that it
                    // cannot go on (a truncated file).
                }
            }
            finally
            {
                _stream->NextIn = null;
                _stream->NextOut = null;
            }
        }
    }

    private static string Describe(int result, bool final) => result switch
    {
        BufferError when final => "xz data ends inside a stream: the file is truncated",
        DataError => "xz data error: damaged data, or a block, index or footer that does not match its check",
        FormatError => "xz data error: not an xz stream where one should start",
        MemoryLimitError => $"xz stream needs more than {MemoryLimit >> 20} MiB to decode (a dictionary larger than any xz preset)",
        _ => $"xz data error (lzma_ret {result})",
    };

    public void Dispose()
    {
        if (_stream is not null)
        {
            lzma_end(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    /// <summary><c>lzma_stream</c> of lzma/base.h (liblzma 5.x).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public void* Allocator;
        public void* Internal;
        public void* ReservedPointer1;
        public void* ReservedPointer2;
        public void* ReservedPointer3;
        public void* ReservedPointer4;
        public ulong SeekPosition;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    [LibraryImport(Library)]
    private static partial int lzma_stream_decoder(LzmaStream* stream, ulong memoryLimit, uint flags);

    [LibraryImport(Library)]
    private static partial int lzma_code(LzmaStream* stream, int action);

    [LibraryImport(Library)]
    private static partial void lzma_end(LzmaStream* stream);
}
