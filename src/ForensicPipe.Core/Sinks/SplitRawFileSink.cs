using System.Globalization;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

using ForensicPipe.Core.Jobs.Results;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// A raw image split into pieces of a fixed size, as FTK Imager, dc3dd <c>ofsz=</c> and ewfacquire segment
/// evidence: <c>NAME.001</c>, <c>NAME.002</c>, … (more digits when more than 999 pieces are needed), each
/// written as <c>.partial</c> and all renamed only when the job succeeded; <c>cat NAME.0*</c> is the image. Each
/// piece has its own digests (the job's algorithms), in the report and in sidecars that <c>md5sum -c NAME.md5</c>
/// checks piece by piece; <c>NAME.whole.md5</c> holds the whole stream's digest for <c>cat NAME.0* | md5sum -c
/// NAME.whole.md5</c>. With <c>verify</c>, every piece is read back past the page cache and its digests compared
/// before any rename. docs/cli.md, "--split".
/// </summary>
public sealed class SplitRawFileSink : IRawFileOutput
{
    /// <summary>Smallest piece: one 4 KiB sector, the alignment of direct writes.</summary>
    public const long MinPieceSize = 4096;

    /// <summary>Digits of a piece number when the count allows (NAME.001).</summary>
    public const int MinDigits = 3;

    private readonly long _pieceSize;
    private readonly bool _overwrite;
    private readonly bool _sparse;
    private readonly bool _sync;
    private readonly bool _verify;
    private readonly string[] _algorithms;
    private readonly List<SplitPiece> _pieces = [];
    private readonly List<JsonObject> _pieceReports = [];
    private readonly List<IReadOnlyDictionary<string, string>> _pieceDigests = [];
    private int _digits = MinDigits;
    private long _end;
    private bool _committed;
    private bool _folderSynced;
    private JsonObject? _verification;
    private PiecesReadBack? _piecesReadBack;

    /// <summary>Creates the sink.</summary>
    /// <param name="path">NAME: the pieces are NAME.001, NAME.002, ….</param>
    /// <param name="pieceSize">Bytes per piece (the last one may be shorter).</param>
    /// <param name="algorithms">Digests of each piece (the job's hash algorithms).</param>
    /// <param name="overwrite">Replace existing pieces (and remove numbered pieces past the new last one).</param>
    /// <param name="sparse">Holes for unfilled ranges.</param>
    /// <param name="sync">fsync each piece before the renames, and the folder after them.</param>
    /// <param name="verify">Read every piece back past the page cache and compare its digests before the renames.</param>
    public SplitRawFileSink(string path, long pieceSize, IEnumerable<string> algorithms, bool overwrite = false, bool sparse = false,
        bool sync = false, bool verify = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceSize, MinPieceSize);
        ArgumentNullException.ThrowIfNull(algorithms);
        FinalPath = Path.GetFullPath(path);
        _pieceSize = pieceSize;
        _overwrite = overwrite;
        _sparse = sparse;
        _sync = sync;
        _verify = verify;
        List<string> wanted = [.. algorithms];
        // Without the job's digests the read-back still needs one to compare.
        if (verify && wanted.Count == 0)
        {
            wanted.Add(RawFileOutput.VerifyAlgorithm);
        }
        _algorithms = [.. wanted.Distinct()];
    }

    /// <inheritdoc />
    public string Name => "raw-file";

    /// <inheritdoc />
    public string FinalPath { get; }

    /// <inheritdoc />
    public bool Committed => _committed;

    /// <summary>The name of piece <paramref name="index"/> (0-based) with <paramref name="digits"/> digits.</summary>
    public static string PiecePath(string path, int index, int digits = MinDigits) =>
        $"{path}.{(index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}";

    /// <inheritdoc />
    public void CheckTarget()
    {
        if (Directory.Exists(FinalPath))
        {
            throw new JobValidationException(FinalPath, "$", "the output is a directory");
        }
        if (!_overwrite && ExistingPieces().FirstOrDefault() is string existing)
        {
            throw new JobValidationException(FinalPath, "$", $"a piece of a split output exists ({existing}); set \"overwrite\": true (or --overwrite) to replace it");
        }
    }

    /// <summary>Files named NAME.NNN… (digits only after the dot) in the output's folder.</summary>
    private IEnumerable<string> ExistingPieces()
    {
        string folder = Path.GetDirectoryName(FinalPath)!;
        if (!Directory.Exists(folder))
        {
            return [];
        }
        string prefix = Path.GetFileName(FinalPath) + ".";
        return Directory.EnumerateFiles(folder, prefix + "*")
            .Where(file => Path.GetFileName(file)[prefix.Length..] is { Length: >= MinDigits } number && number.All(char.IsAsciiDigit))
            .Order(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckTarget();
        if (source.Size is long size && size > 0)
        {
            long count = (size + _pieceSize - 1) / _pieceSize;
            _digits = Math.Max(MinDigits, count.ToString(CultureInfo.InvariantCulture).Length);
        }
        OpenPiece(0);
        return ValueTask.CompletedTask;
    }

    private SplitPiece OpenPiece(int index)
    {
        if (index + 1 >= Math.Pow(10, _digits))
        {
            throw new DeviceIOException(FinalPath, (long)index * _pieceSize,
                $"more than {Math.Pow(10, _digits) - 1} pieces of {_pieceSize} bytes are needed; choose a larger piece size");
        }
        string path = PiecePath(FinalPath, index, _digits);
        try
        {
            var piece = new SplitPiece(path, _algorithms);
            _pieces.Add(piece);
            return piece;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(path + RawFileSink.PartialSuffix, 0, $"cannot create the output: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        long position = extent.Offset;
        while (position < extent.End)
        {
            int index = (int)(position / _pieceSize);
            while (_pieces.Count <= index)
            {
                OpenPiece(_pieces.Count);
            }
            SplitPiece piece = _pieces[index];
            long pieceStart = (long)index * _pieceSize;
            long take = Math.Min(extent.End, pieceStart + _pieceSize) - position;
            try
            {
                if (extent.Kind == ExtentKind.Data)
                {
                    piece.Write(extent.Span.Slice((int)(position - extent.Offset), (int)take), position - pieceStart);
                }
                else if (_sparse)
                {
                    piece.Hole(position - pieceStart, take);
                }
                else
                {
                    long offset = position - pieceStart;
                    ZeroBytes.ForEachChunk(take, piece, (target, zeros) =>
                    {
                        target.Write(zeros, offset);
                        offset += zeros.Length;
                    });
                }
            }
            catch (IOException exception)
            {
                throw new DeviceIOException(piece.PartialPath, position - pieceStart, $"write failed: {exception.Message}", exception);
            }
            position += take;
        }
        _end = extent.End;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        var mismatches = new List<string>();
        var verified = new JsonArray();
        foreach (SplitPiece piece in _pieces)
        {
            try
            {
                piece.Finish(_sync);
            }
            catch (IOException exception)
            {
                throw new DeviceIOException(piece.PartialPath, piece.Length, $"cannot finish the output: {exception.Message}", exception);
            }
            IReadOnlyDictionary<string, string> digests = piece.Digests.Finish();
            _pieceDigests.Add(digests);
            _pieceReports.Add(new JsonObject
            {
                ["size"] = piece.Length,
                ["bytesWritten"] = piece.BytesWritten,
                ["directBytes"] = piece.DirectBytes,
                ["digests"] = DigestSet.ToJson(digests),
            });
            if (_verify)
            {
                ReadBack.Result read;
                try
                {
                    read = ReadBack.Digest(piece.PartialPath, _algorithms, cancellationToken);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    throw new DeviceIOException(piece.PartialPath, 0, $"cannot read the piece back: {exception.Message}", exception);
                }
                bool match = read.Bytes == piece.Length && digests.All(pair => read.Digests[pair.Key] == pair.Value);
                verified.Add((JsonNode)new JsonObject
                {
                    ["path"] = piece.PartialPath,
                    ["readBackDigests"] = DigestSet.ToJson(read.Digests),
                    ["bytesReadBack"] = read.Bytes,
                    ["readMode"] = read.Mode,
                    ["match"] = match,
                });
                if (!match)
                {
                    mismatches.Add($"{piece.PartialPath} ({string.Join(", ", read.Digests.Select(pair => $"{pair.Key} read back {pair.Value}, written {digests[pair.Key]}"))})");
                }
            }
        }
        if (_verify)
        {
            _verification = new JsonObject { ["pieces"] = verified, ["match"] = mismatches.Count == 0 };
            _piecesReadBack = new PiecesReadBack(verified.Count, mismatches.Count);
            if (mismatches.Count > 0)
            {
                throw new VerificationMismatchException(
                    $"read back after writing, {mismatches.Count} piece(s) differ from what was written: {string.Join("; ", mismatches)}; the pieces are left as .partial");
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        string[] stale = _overwrite ? [.. ExistingPieces().Except(_pieces.Select(piece => piece.FinalPath))] : [];
        foreach (SplitPiece piece in _pieces)
        {
            File.Move(piece.PartialPath, piece.FinalPath, _overwrite);
        }
        // Pieces of an earlier, longer output would join `cat NAME.0*`: they go with the overwrite.
        foreach (string file in stale)
        {
            File.Delete(file);
        }
        _committed = true;
        if (_sync)
        {
            _folderSynced = FileDurability.SyncDirectory(Path.GetDirectoryName(FinalPath)!);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> WriteSidecars(IReadOnlyDictionary<string, string> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var written = new List<string>();
        foreach ((string algorithm, string whole) in digests)
        {
            string pieces = FinalPath + "." + algorithm;
            File.WriteAllLines(pieces, _pieces.Select((piece, index) =>
                $"{(_pieceDigests.Count > index && _pieceDigests[index].TryGetValue(algorithm, out string? digest) ? digest : "")}  {Path.GetFileName(piece.FinalPath)}"));
            written.Add(pieces);
            // `-` makes md5sum -c read standard input: cat NAME.0* | md5sum -c NAME.whole.md5.
            string wholePath = $"{FinalPath}.whole.{algorithm}";
            File.WriteAllText(wholePath, $"{whole}  -\n");
            written.Add(wholePath);
        }
        return written;
    }

    /// <inheritdoc />
    public SinkOutcome Outcome => new(FinalPath) { PiecesReadBack = _piecesReadBack };

    /// <inheritdoc />
    public IResumableOutput? Resumable => null;

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var pieces = new JsonArray();
        for (int i = 0; i < _pieces.Count; i++)
        {
            JsonObject entry = i < _pieceReports.Count ? (JsonObject)_pieceReports[i].DeepClone() : new JsonObject { ["size"] = _pieces[i].Length };
            entry.Insert(0, "path", _committed ? _pieces[i].FinalPath : _pieces[i].PartialPath);
            pieces.Add((JsonNode)entry);
        }
        var details = new JsonObject
        {
            ["path"] = FinalPath,
            ["complete"] = _committed,
            ["size"] = _end,
            ["split"] = _pieceSize,
            ["pieceCount"] = _pieces.Count,
            ["pieces"] = pieces,
            ["bytesWritten"] = _pieces.Sum(piece => piece.BytesWritten),
            ["sparse"] = _sparse,
            ["synced"] = _sync,
            ["folderSynced"] = _folderSynced,
        };
        if (_verify)
        {
            details["verify"] = _verification?.DeepClone() ?? new JsonObject { ["done"] = false, ["reason"] = "the output was not completed" };
        }
        return details;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (SplitPiece piece in _pieces)
        {
            piece.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
