using System.Buffers;

namespace ForensicPipe.Formats.Input;

/// <summary>
/// One compressor's decoder, driven by <see cref="DecoderThreadStream"/>: compressed bytes in, decompressed bytes out,
/// any number of concatenated streams (gzip members, zstd/lz4 frames, xz streams, bzip2 streams), each stream's own
/// checks verified (docs/formats/compression-and-split.md). Damaged or truncated data is a
/// <see cref="CompressedDataException"/>. Not thread-safe; owned by one decoder thread.
/// </summary>
internal interface ICompressedDecoder : IDisposable
{
    /// <summary>The compressor's name, for messages.</summary>
    string Name { get; }

    /// <summary>
    /// Decodes from <paramref name="input"/> into <paramref name="output"/>. Returns
    /// <see cref="OperationStatus.DestinationTooSmall"/> when <paramref name="output"/> is full (call again with more
    /// room), <see cref="OperationStatus.NeedMoreData"/> when all of <paramref name="input"/> was consumed, and
    /// <see cref="OperationStatus.Done"/> once <paramref name="final"/> input (the end of the file) was consumed and the
    /// last stream ended where the input ends.
    /// </summary>
    /// <exception cref="CompressedDataException">The data is damaged, or ends inside a stream.</exception>
    OperationStatus Decode(ReadOnlySpan<byte> input, Span<byte> output, bool final, out int consumed, out int written);
}
