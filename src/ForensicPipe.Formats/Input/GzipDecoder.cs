using System.Buffers;
using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// gzip over the system's zlib (<c>libz.so.1</c>, <c>inflate</c> with window bits 31: gzip wrapper only). Members
/// follow one another, as <c>gzip -dc</c> reads concatenated files; zlib checks each member's CRC-32 and length
/// (ISIZE) trailer. Unlike <see cref="System.IO.Compression.GZipStream"/>, which returns what it decoded when the file
/// ends inside a member, a missing trailer is an error here (docs/formats/compression-and-split.md). Bytes after the
/// last member must be another member: <c>gzip</c> ignores trailing zeros with a warning, this decoder refuses them.
/// </summary>
internal sealed unsafe partial class GzipDecoder : ICompressedDecoder
{
    /// <summary>The shared library.</summary>
    public const string Library = "libz.so.1";

    /// <summary>The Debian package that holds <see cref="Library"/>.</summary>
    public const string Package = "zlib1g";

    /// <summary>15 (32 KiB window) + 16 (gzip wrapper, no zlib or raw deflate).</summary>
    private const int GzipWindowBits = 31;

    // zlib.h.
    private const int NoFlush = 0;
    private const int Ok = 0;
    private const int StreamEnd = 1;
    private const int BufferError = -5;

    private static readonly Lazy<bool> s_available = new(() => OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private ZStream* _stream;
    private bool _inMember;
    private bool _needsReset;
    private long _members;

    public GzipDecoder()
    {
        _stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        // inflateInit2 is a macro over inflateInit2_, which checks the first character of the version and the size of
        // z_stream against the library's.
        ReadOnlySpan<byte> version = "1.2.11\0"u8;
        fixed (byte* versionText = version)
        {
            int result = inflateInit2_(_stream, GzipWindowBits, versionText, sizeof(ZStream));
            if (result != Ok)
            {
                NativeMemory.Free(_stream);
                _stream = null;
                throw new InvalidOperationException($"zlib could not start a decoder (code {result})");
            }
        }
    }

    /// <summary>Whether zlib can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    public string Name => "gzip";

    public OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            while (true)
            {
                if (consumed == input.Length && !_inMember)
                {
                    return final ? OperationStatus.Done : OperationStatus.NeedMoreData;
                }
                if (!_inMember)
                {
                    if (_needsReset)
                    {
                        _ = inflateReset(_stream);
                    }
                    _inMember = true;
                    _needsReset = true;
                }
                _stream->NextIn = source + consumed;
                _stream->AvailIn = (uint)(input.Length - consumed);
                _stream->NextOut = destination + written;
                _stream->AvailOut = (uint)(output.Length - written);
                int result = inflate(_stream, NoFlush);
                int inDone = input.Length - consumed - (int)_stream->AvailIn;
                int outDone = output.Length - written - (int)_stream->AvailOut;
                consumed += inDone;
                written += outDone;
                if (result == StreamEnd)
                {
                    _inMember = false;
                    _members++;
                }
                else if (result != Ok && result != BufferError)
                {
                    throw new CompressedDataException(Describe(result), consumed);
                }
                if (written == output.Length)
                {
                    return OperationStatus.DestinationTooSmall;
                }
                if (consumed == input.Length && _inMember)
                {
                    if (final)
                    {
                        throw new CompressedDataException("gzip data ends inside a member (no CRC-32 and length trailer): the file is truncated", consumed);
                    }
                    return OperationStatus.NeedMoreData;
                }
                if (result != StreamEnd && inDone == 0 && outDone == 0)
                {
                    throw new CompressedDataException("gzip decoder made no progress", consumed);
                }
            }
        }
    }

    private string Describe(int result)
    {
        string message = _stream->Message is null ? $"code {result}" : Marshal.PtrToStringUTF8((nint)_stream->Message) ?? $"code {result}";
        return _members > 0 && _stream->TotalIn < 10
            ? $"gzip data error: the bytes after gzip member {_members} are not another gzip member ({message})"
            : $"gzip data error: {message}";
    }

    public void Dispose()
    {
        if (_stream is not null)
        {
            _ = inflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    /// <summary><c>z_stream</c> of zlib.h on an LP64 system (<c>uLong</c> is 64 bits wide).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public byte* Message;
        public void* State;
        public void* Allocate;
        public void* Free;
        public void* Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [LibraryImport(Library)]
    private static partial int inflateInit2_(ZStream* stream, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library)]
    private static partial int inflate(ZStream* stream, int flush);

    [LibraryImport(Library)]
    private static partial int inflateReset(ZStream* stream);

    [LibraryImport(Library)]
    private static partial int inflateEnd(ZStream* stream);
}
