namespace ForensicPipe.Formats.Input;

/// <summary>A decoder found damaged or truncated data; <see cref="Consumed"/> says how far into the input it was given
/// it got, so that the decoder thread can name the compressed byte offset (and the piece of a split set).</summary>
internal sealed class CompressedDataException : Exception
{
    public CompressedDataException(string message, int consumed)
        : base(message)
    {
        Consumed = consumed;
    }

    /// <summary>Bytes of the input of the failing call consumed when the damage was seen (all of it when the library
    /// does not say): the damage lies before this point.</summary>
    public int Consumed { get; }
}
