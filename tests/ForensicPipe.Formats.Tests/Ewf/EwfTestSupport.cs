using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>Writes sets through the sink, reads them through the reader, and runs the ewf-tools peers.</summary>
internal static class EwfTestSupport
{
    private static readonly string[] s_tools = ["ewfacquire", "ewfverify", "ewfinfo", "ewfexport"];

    /// <summary>A range the sink receives as Unreadable.</summary>
    public readonly record struct Hole(long Offset, long Length);

    /// <summary>Media of <paramref name="length"/> bytes mixing random (incompressible), zero and repeated-text
    /// (compressible) stretches, the same for the same seed.</summary>
    public static byte[] Media(long length, int seed = 1)
    {
        var random = new Random(seed);
        byte[] media = new byte[length];
        byte[] text = "ForensicPipe E01 test media, compressible text. "u8.ToArray();
        for (long at = 0; at < length;)
        {
            int piece = (int)Math.Min(length - at, random.Next(1, 96) * 1024);
            Span<byte> span = media.AsSpan((int)at, piece);
            switch (random.Next(3))
            {
                case 0:
                    random.NextBytes(span);
                    break;
                case 1:
                    break;
                default:
                    for (int i = 0; i < span.Length; i++)
                    {
                        span[i] = text[(i + (int)at) % text.Length];
                    }
                    break;
            }
            at += piece;
        }
        return media;
    }

    /// <summary>Writes <paramref name="media"/> as a set at <paramref name="path"/> through the sink, in extents of
    /// <paramref name="extentSize"/> bytes; <paramref name="holes"/> arrive as Unreadable extents (their bytes in
    /// <paramref name="media"/> must be zero). Returns the committed sink's description.</summary>
    public static async Task<EwfSink> WriteAsync(string path, byte[] media, EwfSinkOptions options, IReadOnlyList<Hole>? holes = null,
        int extentSize = 1 << 20, long? announcedSize = null)
    {
        using var pool = new BufferPool(extentSize);
        var sink = new EwfSink(path, options);
        await using (sink.ConfigureAwait(false))
        {
            await sink.OpenAsync(new SourceInfo("test", "raw", announcedSize ?? media.Length), CancellationToken.None);
            long at = 0;
            foreach (Hole hole in (holes ?? []).Append(new Hole(media.Length, 0)))
            {
                while (at < hole.Offset)
                {
                    int piece = (int)Math.Min(extentSize, hole.Offset - at);
                    PooledBuffer buffer = pool.Rent();
                    media.AsSpan((int)at, piece).CopyTo(buffer.Span);
                    Extent extent = Extent.Data(at, buffer, piece);
                    try
                    {
                        await sink.ConsumeAsync(extent, CancellationToken.None);
                    }
                    finally
                    {
                        extent.Release();
                    }
                    at += piece;
                }
                if (hole.Length > 0)
                {
                    await sink.ConsumeAsync(Extent.Unreadable(hole.Offset, hole.Length, "test"), CancellationToken.None);
                    at += hole.Length;
                }
            }
            await sink.CompleteAsync(CancellationToken.None);
            await sink.CommitAsync(CancellationToken.None);
        }
        Assert.Equal(0, pool.Outstanding);
        return sink;
    }

    /// <summary>Reads the set through the reader and its verifier; returns the media and the verification log.</summary>
    public static async Task<(byte[] Media, VerificationLog Log, SourceInfo Info)> ReadAsync(string path, int bufferSize = 1 << 20)
    {
        using var pool = new BufferPool(bufferSize);
        EwfReader reader = EwfReader.Open(path);
        await using (reader.ConfigureAwait(false))
        {
            SourceInfo info = await reader.OpenAsync(CancellationToken.None);
            var log = new VerificationLog();
            using var output = new MemoryStream();
            await ExtentDrain.DrainAsync(reader, info, pool, output, log);
            Assert.Equal(0, pool.Outstanding);
            return (output.ToArray(), log, info);
        }
    }

    /// <summary>Runs an ewf-tools program; fails naming the package when it is missing.</summary>
    public static Task<ToolResult> RunAsync(string tool, params string[] arguments)
    {
        Require();
        return ExternalTool.RunAsync(tool, arguments);
    }

    /// <summary>Exports the set to a raw file with ewfexport and returns its bytes.</summary>
    public static async Task<byte[]> ExportAsync(string firstSegment, string folder)
    {
        string target = Path.Combine(folder, "export-" + Guid.NewGuid().ToString("N"));
        ToolResult result = await RunAsync("ewfexport", "-u", "-q", "-f", "raw", "-t", target, firstSegment);
        Assert.True(result.ExitCode == 0, result.ToString());
        string raw = File.Exists(target + ".raw") ? target + ".raw" : target;
        byte[] bytes = await File.ReadAllBytesAsync(raw);
        File.Delete(raw);
        return bytes;
    }

    public static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    public static string Sha1(byte[] data) => Convert.ToHexStringLower(SHA1.HashData(data));

    private static void Require()
    {
        foreach (string tool in s_tools)
        {
            if (!File.Exists(Path.Combine("/usr/bin", tool)))
            {
                throw new InvalidOperationException($"The test needs '{tool}', which is not installed. Install it: apt-get install -y ewf-tools");
            }
        }
    }
}
