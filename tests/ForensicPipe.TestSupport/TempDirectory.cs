namespace ForensicPipe.TestSupport;

/// <summary>A fresh folder under /tmp, deleted with everything in it on <see cref="Dispose"/>.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Set to 1, fixtures made with <c>keepWhenAsked</c> keep their folder for a look after a failure.</summary>
    public const string KeepVariable = "FPIPE_KEEP_FIXTURES";

    private readonly bool _keepWhenAsked;

    /// <summary>Creates the folder, named <paramref name="prefix"/> and a random suffix. With
    /// <paramref name="keepWhenAsked"/>, <see cref="Dispose"/> leaves it in place when <see cref="KeepVariable"/> is 1.</summary>
    public TempDirectory(string prefix = "fpipe-test-", bool keepWhenAsked = false)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        _keepWhenAsked = keepWhenAsked;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_keepWhenAsked && Environment.GetEnvironmentVariable(KeepVariable) == "1")
        {
            return;
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
