namespace ForensicPipe.Formats.ImageAccess;

/// <summary>Receives the data of an image in ascending partition order (<see cref="ImageBlockReader"/>):
/// <paramref name="bytes"/> are the partition bytes at <paramref name="offset"/>, valid only during the call.</summary>
/// <param name="offset">Partition offset of the first byte.</param>
/// <param name="bytes">The data: one or more whole consecutive present blocks (a large block may come in
/// pieces of the buffer size).</param>
public delegate void BlockCallback(long offset, ReadOnlySpan<byte> bytes);
