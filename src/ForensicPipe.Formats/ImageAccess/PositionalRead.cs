namespace ForensicPipe.Formats.ImageAccess;

/// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/> of an image (a file, a device or the
/// pieces of a split set); returns fewer only at its end.</summary>
/// <param name="destination">Where the bytes go.</param>
/// <param name="offset">Byte offset in the image.</param>
public delegate int PositionalRead(Span<byte> destination, long offset);
