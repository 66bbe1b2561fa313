using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Formats.Ewf;

/// <summary>One open segment file of a set, read-only.</summary>
/// <param name="Path">Its path.</param>
/// <param name="Handle">The read-only handle (positional reads, safe from several threads).</param>
/// <param name="Length">Its length in bytes.</param>
internal sealed record EwfSegmentFile(string Path, SafeFileHandle Handle, long Length);
