using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Tests.TestSupport;

/// <summary>What a drained source produced.</summary>
internal sealed record DrainResult(string Sha256, long Length, int DataExtents, int AbsentExtents, long DataBytes, long AbsentBytes, int LongestDataExtent);

/// <summary>
/// Test stand-in for the product's sinks: drains a source's extents into a zero-filled reconstruction of
/// the partition (hashed, optionally written to a stream), feeds a verifier, checks the extent contract
/// (ascending, no gaps, covering [0, size)) and releases every extent.
/// </summary>
internal static class ExtentDrain
{
    private static readonly byte[] s_zeros = new byte[1 << 20];

    public static async Task<DrainResult> DrainAsync(
        IExtentSource source,
        SourceInfo info,
        BufferPool pool,
        Stream? output = null,
        VerificationLog? log = null,
        Action<Extent>? inspect = null,
        CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        IImageVerifier? verifier = log is null ? null : source.Verifier;
        long next = 0;
        int data = 0, absent = 0, longest = 0;
        long dataBytes = 0, absentBytes = 0;
        await foreach (Extent extent in source.ReadAsync(pool, cancellationToken))
        {
            try
            {
                Assert.Equal(next, extent.Offset);
                Assert.True(extent.Length > 0, $"empty extent {extent}");
                inspect?.Invoke(extent);
                switch (extent.Kind)
                {
                    case ExtentKind.Data:
                        data++;
                        dataBytes += extent.Length;
                        longest = Math.Max(longest, (int)extent.Length);
                        sha.AppendData(extent.Span);
                        output?.Write(extent.Span);
                        break;
                    case ExtentKind.Absent:
                        absent++;
                        absentBytes += extent.Length;
                        for (long left = extent.Length; left > 0; left -= s_zeros.Length)
                        {
                            int n = (int)Math.Min(left, s_zeros.Length);
                            sha.AppendData(s_zeros, 0, n);
                            output?.Write(s_zeros, 0, n);
                        }
                        break;
                    default:
                        Assert.Fail($"unexpected extent {extent}");
                        break;
                }
                verifier?.Verify(extent, log!);
                next = extent.End;
            }
            finally
            {
                extent.Release();
            }
        }
        verifier?.Complete(log!);
        Assert.Equal(info.Size, next);
        return new DrainResult(Convert.ToHexStringLower(sha.GetHashAndReset()), next, data, absent, dataBytes, absentBytes, longest);
    }

    /// <summary>Opens <paramref name="source"/> and rebuilds its partition in memory, absent ranges as zeros.</summary>
    public static async Task<byte[]> ReconstructAsync(IExtentSource source)
    {
        using var pool = new BufferPool();
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        byte[] bytes = new byte[info.Size!.Value];
        await foreach (Extent extent in source.ReadAsync(pool, CancellationToken.None))
        {
            if (extent.Kind == ExtentKind.Data)
            {
                extent.Span.CopyTo(bytes.AsSpan((int)extent.Offset));
            }
            extent.Release();
        }
        Assert.Equal(0, pool.Outstanding);
        return bytes;
    }
}
