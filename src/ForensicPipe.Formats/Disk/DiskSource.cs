using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Formats.Disk;

/// <summary>
/// A whole disk assembled from pieces (docs/architecture.md, "Composite disk"): byte ranges of files, partition
/// images of any registered format at their partition starts (padded with absent bytes to the partition size), raw
/// partition bytes, generated swap headers; what no piece covers is <see cref="ExtentKind.Absent"/>. One forward
/// pass in offset order, one piece open for reading at a time after <see cref="OpenAsync"/> read every image's
/// header; memory is the readers' (bitmaps) plus pool buffers. Every problem of the layout, of a file's size or of an
/// image's partition size is a <see cref="JobValidationException"/> from <see cref="OpenAsync"/>, before any
/// output is opened. The SHA-256 of each partition's bytes (absent bytes as zeros) is in the report.
/// </summary>
public sealed class DiskSource : IExtentSource
{
    /// <summary>The job type of a composite disk.</summary>
    public const string TypeName = "disk";

    private readonly string _path;
    private readonly long _size;
    private readonly ImageFormatRegistry _formats;
    private readonly string _origin;
    private readonly IExtentSource?[] _sources;
    private readonly SequentialImage?[] _raw;
    private readonly string?[] _digests;
    private readonly JsonObject?[] _headers;
    private SourceInfo? _info;
    private DiskVerifier? _verifier;
    private long _bytesRead;
    private JsonObject? _concurrentDetails;

    /// <summary>A disk of <paramref name="size"/> bytes named <paramref name="path"/> from <paramref name="pieces"/>
    /// (any order); images are opened through <paramref name="formats"/>.</summary>
    /// <param name="path">The disk's name in the report.</param>
    /// <param name="size">Bytes of the disk.</param>
    /// <param name="pieces">The pieces, in any order.</param>
    /// <param name="formats">The formats partition images are detected and read with.</param>
    /// <param name="origin">The job file or folder the layout comes from, for messages.</param>
    /// <exception cref="JobValidationException">The pieces overlap or do not fit (<see cref="DiskLayout"/>).</exception>
    public DiskSource(string path, long size, IEnumerable<DiskPiece> pieces, ImageFormatRegistry formats, string origin)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(origin);
        Pieces = DiskLayout.Order(size, pieces, origin);
        _path = path;
        _size = size;
        _formats = formats;
        _origin = origin;
        _sources = new IExtentSource?[Pieces.Count];
        _raw = new SequentialImage?[Pieces.Count];
        _digests = new string?[Pieces.Count];
        _headers = new JsonObject?[Pieces.Count];
    }

    /// <summary>The pieces in offset order.</summary>
    public IReadOnlyList<DiskPiece> Pieces { get; }

    /// <summary>The format in <see cref="SourceInfo.Format"/> (<c>disk</c>; <c>clonezilla</c> for a folder).</summary>
    public string FormatName { get; init; } = TypeName;

    /// <summary>Work running beside the read whose facts join the report's after-run details (a folder's manifest
    /// checks, done on the other core while the disk is read): the read waits for it after its last extent, so that the
    /// report, written after the read, holds them. Null: none.</summary>
    public Task<JsonObject?>? ConcurrentWork { get; set; }

    /// <summary>Whether the SHA-256 of each partition's bytes is computed for the report (default). It costs a
    /// SHA-256 of the whole of every partition, its absent bytes included; the verbs turn it off with <c>--hash none</c>
    /// (docs/formats/clonezilla.md, "Report").</summary>
    public bool PartitionDigests { get; init; } = true;

    /// <summary>Warnings of whoever laid the disk out (a folder's missing boot areas), reported with the images'.</summary>
    public IReadOnlyList<string> ExtraWarnings { get; init; } = [];

    /// <inheritdoc />
    public IImageVerifier? Verifier => _verifier;

    /// <inheritdoc />
    public long BytesRead => Interlocked.Read(ref _bytesRead) + _sources.Sum(source => source?.BytesRead ?? 0);

    /// <summary>Opens every file and reads every image's header; a second call returns the first result (a verb
    /// may open the disk ahead of the job, so that a refusal comes before the job starts).</summary>
    public async ValueTask<SourceInfo> OpenAsync(CancellationToken cancellationToken)
    {
        if (_info is not null)
        {
            return _info;
        }
        var warnings = new List<string>(ExtraWarnings);
        for (int i = 0; i < Pieces.Count; i++)
        {
            DiskPiece piece = Pieces[i];
            switch (piece.Kind)
            {
                case DiskPieceKind.Bytes:
                    CheckFileRange(piece);
                    break;
                case DiskPieceKind.Image:
                    await OpenImageAsync(i, piece, warnings, cancellationToken).ConfigureAwait(false);
                    break;
                case DiskPieceKind.RawImage:
                    OpenRaw(i, piece);
                    break;
                case DiskPieceKind.Swap:
                    CheckSwap(piece);
                    break;
            }
        }
        _verifier = new DiskVerifier(Pieces, [.. _sources.Select(source => source?.Verifier)]);
        _info = new SourceInfo(_path, FormatName, _size, Describe()) { Warnings = warnings };
        return _info;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Extent> ReadAsync(BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (_info is null)
        {
            throw new InvalidOperationException("OpenAsync first.");
        }
        long position = 0;
        for (int i = 0; i < Pieces.Count; i++)
        {
            DiskPiece piece = Pieces[i];
            if (piece.Offset > position)
            {
                yield return Extent.Absent(position, piece.Offset - position);
            }
            using IncrementalHash? hash = piece.IsPartition && PartitionDigests ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            IAsyncEnumerable<Extent> extents = piece.Kind switch
            {
                DiskPieceKind.Bytes => ReadFileRangeAsync(piece, pool, cancellationToken),
                DiskPieceKind.Image => ReadImageAsync(i, piece, pool, cancellationToken),
                DiskPieceKind.RawImage => ReadRawAsync(i, piece, pool, cancellationToken),
                _ => ReadSwap(piece, pool),
            };
            await foreach (Extent extent in extents.ConfigureAwait(false))
            {
                if (hash is not null)
                {
                    if (extent.Kind == ExtentKind.Data)
                    {
                        hash.AppendData(extent.Span);
                    }
                    else
                    {
                        ZeroBytes.ForEachChunk(extent.Length, hash, static (h, zeros) => h.AppendData(zeros));
                    }
                }
                yield return extent;
            }
            if (hash is not null)
            {
                _digests[i] = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            position = piece.End;
        }
        if (position < _size)
        {
            yield return Extent.Absent(position, _size - position);
        }
        if (ConcurrentWork is Task<JsonObject?> work)
        {
            _concurrentDetails = await work.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun()
    {
        var partitions = new JsonArray();
        for (int i = 0; i < Pieces.Count; i++)
        {
            if (Pieces[i].IsPartition)
            {
                partitions.Add((JsonNode)new JsonObject
                {
                    ["name"] = Pieces[i].Name,
                    ["offset"] = Pieces[i].Offset,
                    ["size"] = Pieces[i].Length,
                    ["sha256"] = _digests[i],
                });
            }
        }
        var details = new JsonObject { ["partitions"] = partitions };
        foreach ((string key, JsonNode? value) in _concurrentDetails ?? [])
        {
            details[key] = value?.DeepClone();
        }
        return details;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Pieces.Count; i++)
        {
            if (_sources[i] is IExtentSource source)
            {
                await source.DisposeAsync().ConfigureAwait(false);
                _sources[i] = null;
            }
            _raw[i]?.Dispose();
            _raw[i] = null;
        }
    }

    private JsonObject Describe()
    {
        var pieces = new JsonArray();
        for (int i = 0; i < Pieces.Count; i++)
        {
            JsonObject piece = Pieces[i].Describe();
            piece["format"] = _headers[i]?["format"]?.DeepClone();
            piece["image"] = _headers[i]?["details"]?.DeepClone();
            pieces.Add((JsonNode)piece);
        }
        return new JsonObject { ["size"] = _size, ["pieces"] = pieces };
    }

    private void CheckFileRange(DiskPiece piece)
    {
        var file = new FileInfo(piece.Path!);
        if (!file.Exists)
        {
            throw new JobValidationException(_origin, "$.source.pieces", $"{piece.Name}: {piece.Path} does not exist");
        }
        if (piece.FileOffset < 0 || file.Length - piece.FileOffset < piece.Length)
        {
            throw new JobValidationException(_origin, "$.source.pieces",
                $"{piece.Name}: {piece.Path} has {file.Length} bytes; the piece needs bytes {piece.FileOffset}..{piece.FileOffset + piece.Length} of it");
        }
    }

    private async ValueTask OpenImageAsync(int index, DiskPiece piece, List<string> warnings, CancellationToken cancellationToken)
    {
        IExtentSource source;
        if (piece.Format is string type)
        {
            ImageFormat format = _formats.Find(type)
                ?? throw new JobValidationException(_origin, "$.source.pieces", $"{piece.Name}: no image format '{type}'");
            source = format.OpenSequential(SequentialImage.Open(piece.Path!));
        }
        else
        {
            source = _formats.Open(piece.Path!).OpenSource();
        }
        _sources[index] = source;
        SourceInfo info = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        _headers[index] = new JsonObject { ["format"] = info.Format, ["size"] = info.Size, ["details"] = info.Details?.DeepClone() };
        warnings.AddRange(info.Warnings.Select(warning => $"{piece.Name}: {warning}"));
        if (info.Size is long size && size > piece.Length)
        {
            throw new JobValidationException(_origin, "$.source.pieces",
                $"{piece.Name}: the {info.Format} image {piece.Path} holds a {size}-byte partition, larger than its {piece.Length}-byte partition at disk byte {piece.Offset}");
        }
    }

    private void OpenRaw(int index, DiskPiece piece)
    {
        SequentialImage image = SequentialImage.Open(piece.Path!);
        _raw[index] = image;
        if (image.SeekableFile is FileStream file && file.Length > piece.Length)
        {
            throw new JobValidationException(_origin, "$.source.pieces",
                $"{piece.Name}: the raw image {piece.Path} has {file.Length} bytes, more than its {piece.Length}-byte partition at disk byte {piece.Offset}");
        }
    }

    private void CheckSwap(DiskPiece piece)
    {
        if (piece.Swap?.Zeros == true)
        {
            return;
        }
        int pageSize = piece.Swap?.PageSize ?? SwapHeader.DefaultPageSize;
        try
        {
            SwapHeader.Write(new byte[Math.Clamp(pageSize, 4096, 64 * 1024)], piece.Length, piece.Swap?.Uuid, piece.Swap?.Label);
            if (pageSize is < 4096 or > 64 * 1024)
            {
                throw new ArgumentException($"page size {pageSize} is not 4096 to 65536");
            }
        }
        catch (ArgumentException ex)
        {
            throw new JobValidationException(_origin, "$.source.pieces", $"{piece.Name}: {ex.Message}");
        }
    }

    private async IAsyncEnumerable<Extent> ReadFileRangeAsync(DiskPiece piece, BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(piece.Path!, FileMode.Open, FileAccess.Read, FileShare.Read);
        long done = 0;
        while (done < piece.Length)
        {
            PooledBuffer buffer = pool.Rent();
            int got;
            int want = (int)Math.Min(buffer.Size, piece.Length - done);
            try
            {
                got = await RandomAccess.ReadAsync(handle, buffer.Memory[..want], piece.FileOffset + done, cancellationToken).ConfigureAwait(false);
                if (got < want)
                {
                    throw new DeviceIOException(piece.Path!, piece.FileOffset + done + got, $"{piece.Name}: the file ended {want - got} bytes early (it shrank while read)");
                }
            }
            catch
            {
                buffer.Release();
                throw;
            }
            Interlocked.Add(ref _bytesRead, got);
            yield return Extent.Data(piece.Offset + done, buffer, got);
            done += got;
        }
    }

    private async IAsyncEnumerable<Extent> ReadImageAsync(int index, DiskPiece piece, BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IExtentSource source = _sources[index]!;
        long end = 0;
        await foreach (Extent extent in source.ReadAsync(pool, cancellationToken).ConfigureAwait(false))
        {
            if (extent.End > piece.Length)
            {
                extent.Release();
                throw new ImageFormatException(FormatName, "partition size", source.BytesRead,
                    $"{piece.Name}: the image {piece.Path} reaches partition byte {extent.End}, past its {piece.Length}-byte partition");
            }
            var mark = new DiskPieceMark(index, extent);
            long offset = piece.Offset + extent.Offset;
            // The moved extent takes over the reader's buffer reference.
            yield return extent.Kind switch
            {
                ExtentKind.Data => Extent.Data(offset, extent.Buffer!, (int)extent.Length, mark),
                ExtentKind.Absent => Extent.Absent(offset, extent.Length, mark),
                _ => Extent.Unreadable(offset, extent.Length, extent.Error ?? "unreadable"),
            };
            end = extent.End;
        }
        if (end < piece.Length)
        {
            yield return Extent.Absent(piece.Offset + end, piece.Length - end);
        }
        // Done with this image: its file closes now rather than at the end of the disk (its verifier stays).
        Interlocked.Add(ref _bytesRead, source.BytesRead);
        _sources[index] = null;
        await source.DisposeAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<Extent> ReadRawAsync(int index, DiskPiece piece, BufferPool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream stream = _raw[index]!.Stream;
        long done = 0;
        while (true)
        {
            PooledBuffer buffer = pool.Rent();
            int got;
            try
            {
                got = await stream.ReadAtLeastAsync(buffer.Memory, buffer.Size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got > 0 && got > piece.Length - done)
                {
                    throw new ImageFormatException(FormatName, "partition size", done + got,
                        $"{piece.Name}: the raw image {piece.Path} holds more than its {piece.Length}-byte partition");
                }
            }
            catch
            {
                buffer.Release();
                throw;
            }
            if (got == 0)
            {
                buffer.Release();
                break;
            }
            Interlocked.Add(ref _bytesRead, got);
            yield return Extent.Data(piece.Offset + done, buffer, got);
            done += got;
        }
        if (done < piece.Length)
        {
            yield return Extent.Absent(piece.Offset + done, piece.Length - done);
        }
        _raw[index]!.Dispose();
        _raw[index] = null;
    }

    private static async IAsyncEnumerable<Extent> ReadSwap(DiskPiece piece, BufferPool pool)
    {
        if (piece.Swap?.Zeros == true)
        {
            // Zeros are data, not absent bytes: a device or a --fill pattern must not keep or get anything else there.
            for (long done = 0; done < piece.Length;)
            {
                PooledBuffer zeros = pool.Rent();
                int count = (int)Math.Min(zeros.Size, piece.Length - done);
                zeros.Span[..count].Clear();
                yield return Extent.Data(piece.Offset + done, zeros, count);
                done += count;
            }
            yield break;
        }
        int pageSize = piece.Swap?.PageSize ?? SwapHeader.DefaultPageSize;
        PooledBuffer buffer = pool.Rent();
        if (buffer.Size < pageSize)
        {
            buffer.Release();
            throw new ForensicPipeException($"{piece.Name}: a swap page of {pageSize} bytes does not fit a {buffer.Size}-byte buffer; use a larger --buffer-size");
        }
        SwapHeader.Write(buffer.Span[..pageSize], piece.Length, piece.Swap?.Uuid, piece.Swap?.Label);
        yield return Extent.Data(piece.Offset, buffer, pageSize);
        // mkswap writes the first page only; the rest of the partition keeps what was there.
        if (piece.Length > pageSize)
        {
            yield return Extent.Absent(piece.Offset + pageSize, piece.Length - pageSize);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
