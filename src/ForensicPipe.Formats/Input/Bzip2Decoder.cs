using System.Buffers;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// bzip2 over the system's libbz2 (<c>libbz2.so.1.0</c>), about twice as fast as SharpZipLib's managed decoder.
/// Concatenated bzip2 streams (as <c>pbzip2</c> writes them) are decoded one after the other, as <c>bzip2 -dc</c> does;
/// libbz2 checks every block's CRC and the stream's combined CRC.
/// </summary>
internal sealed unsafe partial class Bzip2Decoder : ICompressedDecoder
{
    /// <summary>The shared library.</summary>
    public const string Library = "libbz2.so.1.0";

    /// <summary>The Debian package that holds <see cref="Library"/>.</summary>
    public const string Package = "libbz2-1.0";

    // bzlib.h return codes.
    private const int BzOk = 0;
    private const int BzStreamEnd = 4;

    private static readonly Lazy<bool> s_available = new(() => OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private BzStream* _stream;
    private bool _initialised;
    private bool _inStream;

    public Bzip2Decoder()
    {
        // libbz2 keeps a pointer to bz_stream in its state, so it lives in native memory.
        _stream = (BzStream*)NativeMemory.AllocZeroed((nuint)sizeof(BzStream));
    }

    /// <summary>Whether libbz2 can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    public string Name => "bzip2";

    public OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            while (true)
            {
                if (consumed == input.Length && !_inStream)
                {
                    return final ? OperationStatus.Done : OperationStatus.NeedMoreData;
                }
                if (!_inStream)
                {
                    Start();
                }
                _stream->NextIn = source + consumed;
                _stream->AvailIn = (uint)(input.Length - consumed);
                _stream->NextOut = destination + written;
                _stream->AvailOut = (uint)(output.Length - written);
                int result = BZ2_bzDecompress(_stream);
                int inDone = input.Length - consumed - (int)_stream->AvailIn;
                int outDone = output.Length - written - (int)_stream->AvailOut;
                consumed += inDone;
                written += outDone;
                if (result == BzStreamEnd)
                {
                    End();
                    _inStream = false;
                }
                else if (result != BzOk)
                {
                    throw new CompressedDataException($"bzip2 data error (libbz2 code {result})", consumed);
                }
                if (written == output.Length)
                {
                    return OperationStatus.DestinationTooSmall;
                }
                if (consumed == input.Length && _inStream)
                {
                    if (final)
                    {
                        throw new CompressedDataException("bzip2 data ends before the end-of-stream marker: the file is truncated", consumed);
                    }
                    return OperationStatus.NeedMoreData;
                }
                if (result != BzStreamEnd && inDone == 0 && outDone == 0)
                {
                    throw new CompressedDataException("bzip2 decoder made no progress", consumed);
                }
            }
        }
    }

    private void Start()
    {
        *_stream = default;
        int result = BZ2_bzDecompressInit(_stream, 0, 0);
        if (result != BzOk)
        {
            throw new InvalidOperationException($"libbz2 could not start a decoder (code {result})");
        }
        _initialised = true;
        _inStream = true;
    }

    /// <summary>Frees the decoder's state; its result only reports a misuse of the API, which cannot happen here.</summary>
    private void End()
    {
        _ = BZ2_bzDecompressEnd(_stream);
        _initialised = false;
    }

    public void Dispose()
    {
        if (_stream is not null)
        {
            if (_initialised)
            {
                End();
            }
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    /// <summary><c>bz_stream</c> of bzlib.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct BzStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public uint TotalInLo32;
        public uint TotalInHi32;
        public byte* NextOut;
        public uint AvailOut;
        public uint TotalOutLo32;
        public uint TotalOutHi32;
        public void* State;
        public void* BzAlloc;
        public void* BzFree;
        public void* Opaque;
    }

    [LibraryImport(Library)]
    private static partial int BZ2_bzDecompressInit(BzStream* stream, int verbosity, int small);

    [LibraryImport(Library)]
    private static partial int BZ2_bzDecompress(BzStream* stream);

    [LibraryImport(Library)]
    private static partial int BZ2_bzDecompressEnd(BzStream* stream);
}
