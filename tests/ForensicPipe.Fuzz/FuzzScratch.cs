namespace ForensicPipe.Fuzz;

/// <summary>
/// A folder of this process for the files the targets write their input into (the parsers read paths): under
/// /dev/shm when it exists, so that an execution costs no disk write. Emptied before each input, removed on dispose.
/// </summary>
public sealed class FuzzScratch : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public FuzzScratch()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        Folder = Path.Combine(root, $"fpipe-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>Deletes whatever the previous input left.</summary>
    public void Clear()
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(Folder))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the folder; returns its full path.</summary>
    public string Write(string name, ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(Folder, name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        file.Write(bytes);
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader thread of a failed input may still hold a file; the folder is in tmpfs.
        }
    }
}
