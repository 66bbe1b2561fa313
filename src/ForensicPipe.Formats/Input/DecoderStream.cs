using System.Buffers;
using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// The decompressed bytes of a raw input, decoded on the caller's thread as they are asked for. Format detection reads
/// its first bytes through this: nothing reads the input after the stream is disposed, so standard input or a FIFO can
/// be handed to the reader that follows (<see cref="OnceOnlyInputs"/>) without a decoder thread still reading from it.
/// The reader itself goes through <see cref="DecoderThreadStream"/>. Forward-only; takes over the raw stream and the
/// decoder.
/// </summary>
internal sealed class DecoderStream : ForwardOnlyStream
{
    /// <summary>Compressed bytes read at a time: small, since only the first bytes are wanted.</summary>
    private const int InputSize = 16 * 1024;

    private readonly Stream _raw;
    private readonly ICompressedDecoder _decoder;
    private readonly Func<long, InputLocation> _locate;
    private readonly byte[] _input = new byte[InputSize];
    private int _start;
    private int _end;
    private bool _final;
    private bool _done;
    private long _consumed;

    public DecoderStream(Stream raw, ICompressedDecoder decoder, Func<long, InputLocation> locate)
    {
        _raw = raw;
        _decoder = decoder;
        _locate = locate;
    }

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written == 0 && !_done && !buffer.IsEmpty)
        {
            if (_start == _end && !_final)
            {
                _start = 0;
                _end = ReadRaw();
                _final = _end == 0;
            }
            OperationStatus status;
            int consumed, produced;
            try
            {
                status = _decoder.Decode(_input.AsSpan(_start, _end - _start), buffer, _final, out consumed, out produced);
            }
            catch (CompressedDataException ex)
            {
                throw Damaged(_decoder, _locate, _consumed + ex.Consumed, ex.Message);
            }
            _start += consumed;
            _consumed += consumed;
            written += produced;
            _done = status == OperationStatus.Done;
        }
        return written;
    }

    /// <summary>The error for damaged data at compressed offset <paramref name="offset"/>: the file (the piece) and the
    /// offset in it.</summary>
    internal static ImageFormatException Damaged(ICompressedDecoder decoder, Func<long, InputLocation> locate, long offset, string detail)
    {
        InputLocation where = locate(offset);
        return new ImageFormatException(where.Path, $"{decoder.Name} data", where.Offset, detail);
    }

    private int ReadRaw()
    {
        try
        {
            return _raw.Read(_input, 0, InputSize);
        }
        catch (IOException ex)
        {
            InputLocation where = _locate(_consumed);
            throw new DeviceIOException(where.Path, where.Offset, $"cannot read the image: {ex.Message}", ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            _raw.Dispose();
        }
        base.Dispose(disposing);
    }
}
