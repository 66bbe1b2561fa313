using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;

namespace ForensicPipe.Core.Stages.Hashing;

/// <summary>
/// One hash algorithm over the whole stream, optionally with piecewise window digests. Hashing is
/// order-dependent, so each algorithm is one consumer on its own block; several algorithms run in
/// parallel behind the fan-out, or share a block in a <see cref="HashGroupConsumer"/> when there are more
/// of them than processors (<see cref="HashThreadPlan"/>). Absent and unreadable extents that reach it unfilled are hashed as
/// zeros, which is what a raw output holds there.
/// </summary>
public sealed class HashConsumer : IExtentConsumer
{
    private readonly IncrementalHash _total;
    private readonly IncrementalHash? _window;
    private readonly long _windowSize;
    private readonly List<WindowDigest> _windows = [];
    private long _bytes;
    private long _windowStart;
    private long _windowFill;
    private bool _completed;

    /// <summary>Creates a hasher for <paramref name="algorithm"/> (see <see cref="HashAlgorithmKind"/>);
    /// <paramref name="windowSize"/> &gt; 0 adds a digest every that many bytes.</summary>
    public HashConsumer(string algorithm, long windowSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowSize);
        Algorithm = algorithm;
        _total = IncrementalHash.CreateHash(HashAlgorithmKind.ToBcl(algorithm));
        if (windowSize > 0)
        {
            _windowSize = windowSize;
            _window = IncrementalHash.CreateHash(HashAlgorithmKind.ToBcl(algorithm));
        }
    }

    /// <summary>The algorithm's name (<c>md5</c>, <c>sha256</c>, …).</summary>
    public string Algorithm { get; }

    /// <inheritdoc />
    public string Name => Algorithm;

    /// <summary>Bytes per window digest; 0 without windows. With windows every byte is hashed twice (the
    /// whole-stream digest and the window's).</summary>
    public long WindowSize => _windowSize;

    /// <summary>The digest of the whole stream, lower-case hex; null until the stream is complete.</summary>
    public string? Digest
    {
        get => field ?? (_completed && SharedFrom is not null ? SharedFrom.StreamDigest(Algorithm) : null);
        private set;
    }

    /// <summary>A sink of the same job that computes this algorithm over the same stream (an E01 sink's MD5 and
    /// SHA-1): the bytes are then only counted here, and the digest is the sink's. Only without windows.</summary>
    public IDigestSource? SharedFrom
    {
        get;
        init
        {
            if (value is not null && (_window is not null || !value.Computes(Algorithm)))
            {
                throw new ArgumentException($"{value.Name} does not compute {Algorithm} for a hasher without windows", nameof(value));
            }
            field = value;
        }
    }

    /// <summary>Bytes hashed.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The window digests in offset order (empty without windows).</summary>
    public IReadOnlyList<WindowDigest> Windows => _windows;

    /// <inheritdoc />
    public ValueTask OpenAsync(SourceInfo source, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(Extent extent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.Kind == ExtentKind.Data)
        {
            Append(extent.Span);
        }
        else
        {
            ZeroBytes.ForEachChunk(extent.Length, this, static (self, zeros) => self.Append(zeros));
        }
        return ValueTask.CompletedTask;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (SharedFrom is not null)
        {
            Interlocked.Add(ref _bytes, data.Length);
            return;
        }
        _total.AppendData(data);
        Interlocked.Add(ref _bytes, data.Length);
        if (_window is null)
        {
            return;
        }
        while (!data.IsEmpty)
        {
            int take = (int)Math.Min(data.Length, _windowSize - _windowFill);
            _window.AppendData(data[..take]);
            _windowFill += take;
            data = data[take..];
            if (_windowFill == _windowSize)
            {
                CloseWindow();
            }
        }
    }

    private void CloseWindow()
    {
        _windows.Add(new WindowDigest(_windowStart, _windowFill, Convert.ToHexStringLower(_window!.GetHashAndReset())));
        _windowStart += _windowFill;
        _windowFill = 0;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_window is not null && _windowFill > 0)
        {
            CloseWindow();
        }
        if (SharedFrom is null)
        {
            Digest = Convert.ToHexStringLower(_total.GetHashAndReset());
        }
        _completed = true;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public JsonObject Describe()
    {
        var description = new JsonObject
        {
            ["algorithm"] = Algorithm,
            ["bytes"] = Bytes,
            ["digest"] = Digest,
        };
        if (SharedFrom is not null)
        {
            description["computedBy"] = $"the {SharedFrom.Name} sink, over the same bytes (not hashed twice)";
        }
        if (_window is not null)
        {
            description["window"] = _windowSize;
            description["windows"] = new JsonArray([.. _windows.Select(window => new JsonObject
            {
                ["offset"] = window.Offset,
                ["length"] = window.Length,
                ["digest"] = window.Digest,
            })]);
        }
        return description;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _total.Dispose();
        _window?.Dispose();
        return ValueTask.CompletedTask;
    }
}
