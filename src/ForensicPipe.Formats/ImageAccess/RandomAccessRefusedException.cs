using ForensicPipe.Core.Errors;

namespace ForensicPipe.Formats.ImageAccess;

/// <summary>
/// The input cannot be read at random offsets as it is — a pipe, standard input, a compressed image, or a
/// format without a random-access reader — and nothing was read. The message is one line with the reason
/// and, where there is one, the command that makes the image usable (<c>gunzip -k …</c>). The CLI reports
/// it as bad usage (exit code 2).
/// </summary>
public sealed class RandomAccessRefusedException : ForensicPipeException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public RandomAccessRefusedException(string path, string reason, string? remedy = null)
        : base(remedy is null ? $"{path}: {reason}" : $"{path}: {reason}; {remedy}")
    {
        Path = path;
        Reason = reason;
        Remedy = remedy;
    }

    /// <summary>The input as given.</summary>
    public string Path { get; }

    /// <summary>Why it cannot be opened for random access.</summary>
    public string Reason { get; }

    /// <summary>What to run to make it usable, or null.</summary>
    public string? Remedy { get; }
}
