using System.Security.Cryptography;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Ewf;

/// <summary>
/// Checks an E01 set's stored MD5 and SHA-1 (digest and hash sections) against the media the reader emits,
/// the two digests computed side by side on each extent. Every chunk's own integrity (zlib or Adler-32) is
/// checked by the reader as it decodes; this counts those checks from the extents' annotations.
/// </summary>
internal sealed class EwfVerifier : IImageVerifier, IDisposable
{
    private readonly EwfSet _set;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash? _sha1;

    public EwfVerifier(EwfSet set)
    {
        _set = set;
        if (set.StoredSha1 is not null)
        {
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        }
    }

    public string Method => _set.StoredMd5 is null
        ? "every chunk's zlib stream or Adler-32; the set stores no MD5"
        : $"every chunk's zlib stream or Adler-32, and the stored MD5{(_set.StoredSha1 is null ? "" : " and SHA-1")} of the media";

    public void Verify(Extent extent, VerificationLog log)
    {
        if (extent.Annotation is int chunks)
        {
            for (int i = 0; i < chunks; i++)
            {
                log.RecordMatch();
            }
        }
        if (_set.StoredMd5 is null)
        {
            return;
        }
        if (extent.Kind != ExtentKind.Data)
        {
            ZeroBytes.ForEachChunk(extent.Length, this, static (self, zeros) =>
            {
                self._md5.AppendData(zeros);
                self._sha1?.AppendData(zeros);
            });
            return;
        }
        if (_sha1 is null || extent.Length < 65536)
        {
            _md5.AppendData(extent.Span);
            _sha1?.AppendData(extent.Span);
            return;
        }
        // SHA-1 on another core while MD5 runs here: the extent stays valid until this returns.
        Task sha1 = Task.Run(() => _sha1.AppendData(extent.Span));
        _md5.AppendData(extent.Span);
        sha1.GetAwaiter().GetResult();
    }

    public void Complete(VerificationLog log)
    {
        if (_set.StoredMd5 is null)
        {
            return;
        }
        (int segment, long offset) = _set.HashLocation;
        string segmentName = Path.GetFileName(_set.Segments[segment].Path);
        log.Record(new ChecksumResult($"MD5 of the media ({segmentName})", -1, offset, 0,
            Convert.ToHexStringLower(_set.StoredMd5), Convert.ToHexStringLower(_md5.GetHashAndReset())));
        if (_sha1 is not null && _set.StoredSha1 is not null)
        {
            log.Record(new ChecksumResult($"SHA-1 of the media ({segmentName})", -1, offset + EwfFieldOffsets.DigestSha1, 0,
                Convert.ToHexStringLower(_set.StoredSha1), Convert.ToHexStringLower(_sha1.GetHashAndReset())));
        }
    }

    public void Dispose()
    {
        _md5.Dispose();
        _sha1?.Dispose();
    }
}
