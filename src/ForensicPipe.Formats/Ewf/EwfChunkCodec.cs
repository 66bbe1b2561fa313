using System.Buffers.Binary;
using System.IO.Compression;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Compresses and decompresses single chunks with the runtime's zlib (<see cref="ZLibStream"/>, zlib-ng in
/// .NET 10). One codec per worker thread: its two small streams are reused, only the zlib state is made per
/// chunk. Measured against the system's libz 1.2.13 through P/Invoke with a reused, reset state: level 1
/// was 3× faster this way, level 9 1.6× (docs/formats/e01.md).
/// </summary>
internal sealed class EwfChunkCodec : IDisposable
{
    private readonly SlotStream _slot = new();
    private readonly SlotStream _input = new();
    private readonly ZLibCompressionOptions _options;

    /// <summary>A codec compressing at <paramref name="compression"/>.</summary>
    public EwfChunkCodec(EwfCompression compression)
    {
        _options = new ZLibCompressionOptions { CompressionLevel = compression == EwfCompression.Best ? 9 : 1 };
    }

    /// <summary>Stores <paramref name="data"/> into <paramref name="slot"/> (at least <c>data.Length + 4</c>
    /// bytes): zlib-compressed when that is smaller than the data, else the data and its Adler-32. A chunk that
    /// <see cref="EwfIncompressibleCheck"/> judges incompressible is stored without trying. Returns the stored
    /// length and whether it is compressed.</summary>
    public (int Length, bool Compressed) Store(byte[] data, int dataOffset, int dataLength, byte[] slot, int slotOffset, bool compress)
    {
        if (compress && !EwfIncompressibleCheck.LooksIncompressible(data.AsSpan(dataOffset, dataLength)))
        {
            _slot.Reset(slot, slotOffset, dataLength - 1);
            using (var zlib = new ZLibStream(_slot, _options, leaveOpen: true))
            {
                zlib.Write(data, dataOffset, dataLength);
            }
            if (!_slot.Overflowed)
            {
                return (_slot.Written, true);
            }
        }
        ReadOnlySpan<byte> source = data.AsSpan(dataOffset, dataLength);
        source.CopyTo(slot.AsSpan(slotOffset));
        BinaryPrimitives.WriteUInt32LittleEndian(slot.AsSpan(slotOffset + dataLength), EwfAdler32.Compute(source));
        return (dataLength + 4, false);
    }

    /// <summary>Inflates a stored zlib chunk into exactly <paramref name="destination"/>. Returns null when it
    /// decodes to exactly that many bytes and its stream ends there with a good Adler-32, else what is wrong.</summary>
    public string? Inflate(byte[] stored, int storedOffset, int storedLength, Span<byte> destination)
    {
        _input.Reset(stored, storedOffset, storedLength);
        try
        {
            using var zlib = new ZLibStream(_input, CompressionMode.Decompress, leaveOpen: true);
            int filled = 0;
            while (filled < destination.Length)
            {
                int read = zlib.Read(destination[filled..]);
                if (read == 0)
                {
                    return $"zlib stream ends after {filled} of {destination.Length} bytes";
                }
                filled += read;
            }
            // Reading on to the end makes zlib check its trailing Adler-32.
            Span<byte> probe = stackalloc byte[1];
            if (zlib.Read(probe) != 0)
            {
                return $"zlib stream holds more than {destination.Length} bytes";
            }
            return null;
        }
        // zlib's other errors (a preset dictionary asked for: Z_NEED_DICT) come as ZLibException, an IOException;
        // the input is a buffer in memory, so no other IOException can occur.
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return $"zlib stream corrupt ({exception.Message})";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _slot.Dispose();
        _input.Dispose();
    }

    /// <summary>A stream over a slice of an array: written into without growing (it records an overflow
    /// instead of throwing, since incompressible chunks are common), or read from.</summary>
    private sealed class SlotStream : Stream
    {
        private byte[] _buffer = [];
        private int _start;
        private int _capacity;
        private int _position;

        public bool Overflowed { get; private set; }

        public int Written => _position;

        public void Reset(byte[] buffer, int start, int capacity)
        {
            _buffer = buffer;
            _start = start;
            _capacity = capacity;
            _position = 0;
            Overflowed = false;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _capacity;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int take = Math.Min(buffer.Length, _capacity - _position);
            _buffer.AsSpan(_start + _position, take).CopyTo(buffer);
            _position += take;
            return take;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Overflowed || buffer.Length > _capacity - _position)
            {
                Overflowed = true;
                return;
            }
            buffer.CopyTo(_buffer.AsSpan(_start + _position));
            _position += buffer.Length;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
