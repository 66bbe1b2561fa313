namespace ForensicPipe.TestSupport;

/// <summary>
/// The folder of a class fixture whose files are made once with the real tools: created on construction, deleted on
/// <see cref="Dispose()"/> unless <c>FPIPE_KEEP_FIXTURES=1</c> asks to keep it for a look after a failure.
/// </summary>
public abstract class FixtureFolder : IDisposable
{
    private readonly TempDirectory _directory;

    /// <summary>Creates the folder, named <paramref name="prefix"/> and a random suffix.</summary>
    protected FixtureFolder(string prefix = "fpipe-fixture-")
    {
        _directory = new TempDirectory(prefix, keepWhenAsked: true);
    }

    /// <summary>The folder's full path.</summary>
    public string Folder => _directory.Path;

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => _directory.File(name);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the folder.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _directory.Dispose();
        }
    }
}
