namespace ForensicPipe.Formats.Input;

/// <summary>
/// Inputs that can be read only once — standard input and named pipes (FIFOs) — shared between format detection
/// and the reader that follows in the same process: the bytes read while detecting are recorded and replayed to
/// the reader, and the input is opened once (a second open of a FIFO would wait for a writer that has gone).
/// </summary>
internal static class OnceOnlyInputs
{
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, Entry> s_entries = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="path"/> for detection: standard input or a FIFO is kept for the reader, with the
    /// bytes read through the returned stream; a regular file is returned as <paramref name="openFile"/> opened it and is
    /// kept nowhere.</summary>
    public static Stream OpenForDetection(string path, Func<string, FileStream> openFile)
    {
        lock (s_lock)
        {
            string key = Key(path);
            if (!s_entries.TryGetValue(key, out Entry? entry))
            {
                Stream stream;
                if (path == Core.Sources.FileSource.StandardInput)
                {
                    stream = Console.OpenStandardInput();
                }
                else
                {
                    FileStream file = openFile(path);
                    if (file.CanSeek)
                    {
                        return file;
                    }
                    stream = file;
                }
                entry = new Entry(stream);
                s_entries[key] = entry;
            }
            if (entry.HandedOver)
            {
                throw new InvalidOperationException($"{path} was already handed to a reader.");
            }
            return new RecordingStream(entry.Stream, entry.Recorded);
        }
    }

    /// <summary>The input kept by <see cref="OpenForDetection"/> for <paramref name="path"/>, from its first byte, for
    /// the one reader of this process; false when nothing was kept (then the caller opens the path itself).</summary>
    public static bool TryTake(string path, out Stream stream)
    {
        lock (s_lock)
        {
            if (s_entries.TryGetValue(Key(path), out Entry? entry) && !entry.HandedOver)
            {
                entry.HandedOver = true;
                byte[] recorded = entry.Recorded.ToArray();
                stream = recorded.Length == 0 ? entry.Stream : new ReplayStream(entry.Stream, recorded);
                return true;
            }
            stream = Stream.Null;
            return false;
        }
    }

    private static string Key(string path) => path == Core.Sources.FileSource.StandardInput ? path : Path.GetFullPath(path);

    private sealed class Entry(Stream stream)
    {
        public Stream Stream { get; } = stream;

        public MemoryStream Recorded { get; } = new();

        public bool HandedOver { get; set; }
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
