namespace ForensicPipe.Formats.Input;

/// <summary>
/// The process's standard input, which can be read only once, shared between format detection and the reader
/// that follows: bytes read while detecting are recorded and replayed to the reader.
/// </summary>
internal static class StandardInput
{
    private static readonly Lock s_lock = new();
    private static Stream? s_stdin;
    private static MemoryStream? s_recorded;
    private static bool s_handedOver;

    /// <summary>A stream for detection: what is read through it is read again by <see cref="Open"/>.</summary>
    public static Stream OpenForDetection()
    {
        lock (s_lock)
        {
            EnsureNotHandedOver();
            s_stdin ??= Console.OpenStandardInput();
            s_recorded ??= new MemoryStream();
            return new RecordingStream(s_stdin, s_recorded);
        }
    }

    /// <summary>Standard input from its first byte for the one reader of this process.</summary>
    public static Stream Open()
    {
        lock (s_lock)
        {
            EnsureNotHandedOver();
            s_handedOver = true;
            s_stdin ??= Console.OpenStandardInput();
            byte[] recorded = s_recorded?.ToArray() ?? [];
            s_recorded = null;
            return recorded.Length == 0 ? s_stdin : new ReplayStream(s_stdin, recorded);
        }
    }

    private static void EnsureNotHandedOver()
    {
        if (s_handedOver)
        {
            throw new InvalidOperationException("Standard input was already handed to a reader.");
        }
    }

    /// <summary>Reads from the inner stream and keeps a copy of every byte; disposing leaves the inner stream open.</summary>
    private sealed class RecordingStream(Stream inner, MemoryStream record) : ForwardOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            int got = inner.Read(buffer);
            record.Write(buffer[..got]);
            return got;
        }
    }
}
