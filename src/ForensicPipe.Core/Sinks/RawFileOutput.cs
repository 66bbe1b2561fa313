using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;

using ForensicPipe.Core.Jobs.Results;

namespace ForensicPipe.Core.Sinks;

/// <summary>
/// One raw image file (<see cref="RawFileSink"/>), optionally read back after writing: with <c>verify</c> the
/// SHA-256 of every byte handed to the sink is computed on the way in, and once the file is complete (and
/// synced) it is read back past the page cache (<see cref="ReadBack"/>) and the two digests compared before
/// the output is renamed; a difference fails the job as a verification mismatch (exit 3) and leaves
/// <c>NAME.partial</c>. docs/cli.md, "--verify".
/// </summary>
public sealed class RawFileOutput : IRawFileOutput, ITargetCheck
{
    /// <summary>The algorithm of the read-back comparison (as the device sink's verify).</summary>
    public const string VerifyAlgorithm = "sha256";

    private readonly RawFileSink _sink;
    private readonly DigestSet? _sent;
    private JsonObject? _verification;
    private ReadBackResult? _readBack;

    /// <summary>Wraps <paramref name="sink"/>; <paramref name="verify"/> reads it back before the rename.</summary>
    public RawFileOutput(RawFileSink sink, bool verify)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _sent = verify ? new DigestSet([VerifyAlgorithm]) : null;
    }

    /// <inheritdoc />
    public string Name => _sink.Name;

    /// <inheritdoc />
    public string FinalPath => _sink.FinalPath;

    /// <inheritdoc />
    public bool Committed => _sink.Committed;

    /// <inheritdoc />
    public void CheckTarget() => _sink.CheckTarget();

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken) => _sink.OpenAsync(source, cancellationToken);

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        await _sink.ConsumeAsync(extent, cancellationToken).ConfigureAwait(false);
        if (_sent is not null)
        {
            if (extent.Kind == ExtentKind.Data)
            {
                _sent.Append(extent.Span);
            }
            else
            {
                _sent.AppendZeros(extent.Length);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
        if (_sent is null)
        {
            return;
        }
        string sent = _sent.Finish()[VerifyAlgorithm];
        ReadBack.Result read;
        try
        {
            read = ReadBack.Digest(_sink.PartialPath, [VerifyAlgorithm], cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DeviceIOException(_sink.PartialPath, 0, $"cannot read the output back: {exception.Message}", exception);
        }
        bool match = read.Digests[VerifyAlgorithm] == sent && read.Bytes == _sent.Bytes;
        // A length that differs is a difference even where the digests agree (they cannot, but say it plainly).
        _readBack = new ReadBackResult(VerifyAlgorithm, sent, read.Bytes == _sent.Bytes ? read.Digests[VerifyAlgorithm] : $"{read.Digests[VerifyAlgorithm]} ({read.Bytes} bytes)");
        _verification = new JsonObject
        {
            ["algorithm"] = VerifyAlgorithm,
            ["sentDigest"] = sent,
            ["readBackDigest"] = read.Digests[VerifyAlgorithm],
            ["bytesSent"] = _sent.Bytes,
            ["bytesReadBack"] = read.Bytes,
            ["readMode"] = read.Mode,
            ["match"] = match,
        };
        if (!match)
        {
            throw new VerificationMismatchException(
                $"{_sink.PartialPath}: read back after writing, {VerifyAlgorithm} {read.Digests[VerifyAlgorithm]} ({read.Bytes} bytes) " +
                $"differs from the {sent} ({_sent.Bytes} bytes) written; the output is left as .partial");
        }
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken) => _sink.CommitAsync(cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<string> WriteSidecars(IReadOnlyDictionary<string, string> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return [.. digests.Select(pair => ChecksumSidecar.Write(FinalPath, pair.Key, pair.Value))];
    }

    /// <inheritdoc />
    public SinkOutcome Outcome => new(FinalPath) { ReadBack = _readBack };

    /// <inheritdoc />
    public IResumableOutput Resumable => _sink;

    /// <inheritdoc />
    public void CheckTarget(SourceInfo source) => _sink.CheckTarget(source);

    /// <inheritdoc />
    public JsonObject Describe()
    {
        JsonObject details = _sink.Describe();
        if (_sent is not null)
        {
            details["verify"] = _verification?.DeepClone() ?? new JsonObject { ["done"] = false, ["reason"] = "the output was not completed" };
        }
        return details;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _sent?.Dispose();
        await _sink.DisposeAsync().ConfigureAwait(false);
    }
}
