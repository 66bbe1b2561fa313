using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Formats.Disk;

/// <summary>Checks every partition image's own checksums inside a composite disk: each extent goes, at its partition
/// offset, to the verifier of the image it came from; each result is recorded under the image's file name.</summary>
internal sealed class DiskVerifier : IImageVerifier
{
    private readonly IImageVerifier?[] _verifiers;
    private readonly VerificationLog?[] _logs;
    private readonly long[] _seenChecked;
    private readonly long[] _seenMismatches;
    private readonly string[] _names;
    private VerificationLog? _target;

    public DiskVerifier(IReadOnlyList<DiskPiece> pieces, IReadOnlyList<IImageVerifier?> verifiers)
    {
        _verifiers = [.. verifiers];
        _names = [.. pieces.Select(piece => piece.Path is null ? piece.Name : $"{piece.Name} ({Path.GetFileName(piece.Path)})")];
        _logs = new VerificationLog?[_verifiers.Length];
        _seenChecked = new long[_verifiers.Length];
        _seenMismatches = new long[_verifiers.Length];
        for (int i = 0; i < _verifiers.Length; i++)
        {
            if (_verifiers[i] is null)
            {
                continue;
            }
            var log = new VerificationLog();
            string name = _names[i];
            log.MismatchRecorded += result => _target?.Record(result with { Kind = $"{name}: {result.Kind}" });
            _logs[i] = log;
        }
        string[] methods = [.. _verifiers.Select((verifier, i) => verifier is null ? null : $"{_names[i]}: {verifier.Method}").OfType<string>()];
        Method = methods.Length == 0
            ? "no partition image of this disk has checksums of its own"
            : string.Join("; ", methods);
    }

    public string Method { get; }

    public void Verify(Extent extent, VerificationLog log)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.Annotation is DiskPieceMark mark && _verifiers[mark.Piece] is IImageVerifier verifier)
        {
            _target = log;
            verifier.Verify(mark.Original, _logs[mark.Piece]!);
            Forward(mark.Piece, log);
        }
    }

    public void Complete(VerificationLog log)
    {
        _target = log;
        for (int i = 0; i < _verifiers.Length; i++)
        {
            if (_verifiers[i] is IImageVerifier verifier)
            {
                verifier.Complete(_logs[i]!);
                Forward(i, log);
            }
        }
    }

    /// <summary>Counts the piece's passing comparisons into <paramref name="log"/>; its mismatches went there
    /// as they were recorded.</summary>
    private void Forward(int piece, VerificationLog log)
    {
        VerificationLog own = _logs[piece]!;
        long matched = own.Checked - own.MismatchCount - (_seenChecked[piece] - _seenMismatches[piece]);
        _seenChecked[piece] = own.Checked;
        _seenMismatches[piece] = own.MismatchCount;
        for (long i = 0; i < matched; i++)
        {
            log.RecordMatch();
        }
    }
}
