using System.Runtime.InteropServices;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// A bzip2 decoder over the system's libbz2 (<c>libbz2.so.1.0</c>), about twice as fast as SharpZipLib's managed
/// decoder. Concatenated bzip2 streams are decoded one after the other, as <c>bzip2 -dc</c> does. A stream that ends
/// before its end-of-stream marker is an <see cref="InvalidDataException"/>, as is damaged data. Forward-only.
/// </summary>
internal sealed partial class NativeBzip2Stream : ForwardOnlyStream
{
    private const string Library = "libbz2.so.1.0";
    private const int InputSize = 128 * 1024;

    // bzlib.h return codes.
    private const int BzOk = 0;
    private const int BzStreamEnd = 4;

    private static readonly Lazy<bool> s_available = new(() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _));

    private readonly Stream _inner;
    private readonly nint _stream;
    private readonly nint _input;
    private bool _initialised;
    private bool _innerEnded;
    private bool _ended;
    private bool _disposed;

    public unsafe NativeBzip2Stream(Stream inner)
    {
        _inner = inner;
        _stream = (nint)NativeMemory.AllocZeroed((nuint)sizeof(BzStream));
        _input = (nint)NativeMemory.Alloc(InputSize);
        Initialise();
    }

    private unsafe BzStream* State => (BzStream*)_stream;

    private unsafe Span<byte> Input => new((void*)_input, InputSize);

    private unsafe bool InputEmpty => State->AvailIn == 0;

    /// <summary>Whether libbz2 can be loaded on this machine.</summary>
    public static bool IsAvailable => s_available.Value;

    private unsafe void Initialise()
    {
        byte* next = State->NextIn;
        uint available = State->AvailIn;
        *State = default;
        State->NextIn = next;
        State->AvailIn = available;
        int result = BZ2_bzDecompressInit(State, 0, 0);
        if (result != BzOk)
        {
            throw new InvalidDataException($"libbz2 could not start a decoder (code {result})");
        }
        _initialised = true;
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }
            if (InputEmpty && !_innerEnded)
            {
                Fill(_inner.Read(Input));
            }
            int produced = Decode(buffer);
            if (produced > 0)
            {
                return produced;
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[]? staging = null;
        while (true)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }
            if (InputEmpty && !_innerEnded)
            {
                staging ??= new byte[InputSize];
                int got = await _inner.ReadAsync(staging, cancellationToken).ConfigureAwait(false);
                staging.AsSpan(0, got).CopyTo(Input);
                Fill(got);
            }
            int produced = Decode(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }
    }

    private unsafe void Fill(int got)
    {
        State->NextIn = (byte*)_input;
        State->AvailIn = (uint)got;
        _innerEnded = got == 0;
    }

    /// <summary>Runs the decoder once into <paramref name="buffer"/>; returns the bytes produced (0: more input needed,
    /// or the end).</summary>
    private unsafe int Decode(Span<byte> buffer)
    {
        fixed (byte* output = buffer)
        {
            State->NextOut = output;
            State->AvailOut = (uint)buffer.Length;
            int result = BZ2_bzDecompress(State);
            int produced = buffer.Length - (int)State->AvailOut;
            if (result == BzStreamEnd)
            {
                End();
                if (InputEmpty && !_innerEnded)
                {
                    Fill(_inner.Read(Input));
                }
                if (InputEmpty)
                {
                    _ended = true;
                }
                else
                {
                    Initialise(); // another bzip2 stream follows (concatenated files)
                }
            }
            else if (result != BzOk)
            {
                throw new InvalidDataException($"bzip2 data error (libbz2 code {result})");
            }
            else if (produced == 0 && InputEmpty && _innerEnded)
            {
                throw new InvalidDataException("bzip2 stream truncated: the file ends before the end-of-stream marker");
            }
            return produced;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Frees the decoder's state; its result only reports a misuse of the API, which cannot happen here.</summary>
    private unsafe void End()
    {
        _ = BZ2_bzDecompressEnd(State);
        _initialised = false;
    }

    protected override unsafe void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_initialised)
            {
                End();
            }
            NativeMemory.Free((void*)_stream);
            NativeMemory.Free((void*)_input);
            if (disposing)
            {
                _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    ~NativeBzip2Stream() => Dispose(false);

    /// <summary><c>bz_stream</c> of bzlib.h; libbz2 keeps a pointer to it, so it lives in native memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct BzStream
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
    private static unsafe partial int BZ2_bzDecompressInit(BzStream* stream, int verbosity, int small);

    [LibraryImport(Library)]
    private static unsafe partial int BZ2_bzDecompress(BzStream* stream);

    [LibraryImport(Library)]
    private static unsafe partial int BZ2_bzDecompressEnd(BzStream* stream);
}
