using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Cli.Tests.ToyFormat;

/// <summary>Reads a toy image: one data extent per block, the stored sum attached for the verifier.</summary>
internal sealed class ToyReader(SequentialImage image) : IExtentSource, IImageVerifier
{
    private const int HeaderLength = 16;
    private long _size;
    private long _bytesRead;

    public IImageVerifier? Verifier => this;

    public long BytesRead => _bytesRead;

    public string Method => "toy block sums";

    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        byte[] header = new byte[HeaderLength];
        int got = await image.Stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (got < HeaderLength || !header.AsSpan().StartsWith(ToyImage.Magic))
        {
            throw new ImageFormatException("toy", "header", 0, "not a toy image");
        }
        _bytesRead = got;
        _size = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8));
        return new SourceInfo(image.Path, "toy", _size, new JsonObject { ["blocks"] = (_size + ToyImage.BlockSize - 1) / ToyImage.BlockSize });
    }

    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] sum = new byte[4];
        for (long offset = 0; offset < _size; offset += ToyImage.BlockSize)
        {
            int length = (int)Math.Min(ToyImage.BlockSize, _size - offset);
            PooledBuffer buffer = pool.Rent();
            int got = await image.Stream.ReadAtLeastAsync(buffer.Memory[..length], length, throwOnEndOfStream: false, cancellationToken);
            int gotSum = await image.Stream.ReadAtLeastAsync(sum, sum.Length, throwOnEndOfStream: false, cancellationToken);
            if (got < length || gotSum < sum.Length)
            {
                buffer.Release();
                throw new ImageFormatException("toy", "block", _bytesRead, "image truncated");
            }
            _bytesRead += length + sum.Length;
            yield return Extent.Data(offset, buffer, length, BinaryPrimitives.ReadUInt32LittleEndian(sum));
        }
    }

    public void Verify(Extent extent, VerificationLog log)
    {
        uint stored = (uint)extent.Annotation!;
        uint actual = ToyImage.Sum(extent.Span);
        if (stored == actual)
        {
            log.RecordMatch();
        }
        else
        {
            log.Record(new ChecksumResult("toy sum", extent.Offset / ToyImage.BlockSize, -1, extent.Offset,
                stored.ToString("x8", CultureInfo.InvariantCulture), actual.ToString("x8", CultureInfo.InvariantCulture)));
        }
    }

    public void Complete(VerificationLog log)
    {
    }

    public JsonObject? DescribeAfterRun() => null;

    public ValueTask DisposeAsync()
    {
        image.Dispose();
        return ValueTask.CompletedTask;
    }
}
