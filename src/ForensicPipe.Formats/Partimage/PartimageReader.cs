using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Partclone;
using Mbr = ForensicPipe.Formats.Partimage.PartimageFieldOffsets.Mbr;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// Reads a partimage 0.6.x image (docs/formats/partimage.md) in one forward pass over its volume files
/// (<c>NAME.000</c>, <c>NAME.001</c>, …, each plain, gzip or bzip2) or standard input (one volume), and emits the
/// reconstructed partition as extents: <see cref="ExtentKind.Data"/> for runs of saved blocks, packed into pool buffers
/// with the CHK records taken out; <see cref="ExtentKind.Absent"/> for unsaved blocks and for the partition bytes
/// beyond <c>block_count × block_size</c>. Each data extent carries the CHK records whose data ends inside it
/// (<see cref="PartimageChkMark"/>) for the <see cref="PartimageVerifier"/>; the reader sums every non-data byte
/// of the logical stream for the tail check (docs/formats/partimage.md, "Checksums") and hands the tail to the verifier
/// at the end. Header sums (docs/formats/partimage.md, "Checksums") are checked in <see cref="OpenAsync"/>. Offsets in
/// errors and results are logical-stream offsets (volume headers excluded, volume 0's data starts at 0); messages also
/// name the volume file and its offset. Memory: the bitmap (block_count / 8 bytes, allocated as it arrives) plus
/// bounded buffers.
/// </summary>
public sealed partial class PartimageReader : IExtentSource
{
    /// <summary>Format name in <see cref="SourceInfo.Format"/>.</summary>
    public const string FormatName = PartimageThrowHelper.FormatName;

    /// <summary>Largest payload accepted in an extension record (partimage writes 0-byte ones).</summary>
    public const uint MaxExtensionLength = 16u << 20;

    private const int StateNew = 0;
    private const int StateOpening = 1;
    private const int StateOpen = 2;
    private const int StateReading = 3;

    private const int ScratchSize = 64 * 1024;

    private readonly PartimageVolumeStream _volumes;
    private readonly ImageInput _input;
    private readonly byte[] _structure = new byte[PartimageFieldOffsets.StructureSize + PartimageFieldOffsets.HeaderSumLength];
    private readonly byte[] _small = new byte[64];
    private byte[]? _scratch;
    private PartimageMainHeader _main;
    private PartimageLocalHeader _local;
    private PartimageInfoHeader _info;
    private PartcloneBitmap? _bitmap;
    private PartimageVerifier? _verifier;
    private PartimageTail? _tail;
    private ulong _structureSum;
    private long _dataStart;
    private int _state;
    private long _chkRead;
    private bool _complete;
    private int _tailReservedNonZero;

    /// <summary>Creates a reader of the image whose first volume is <paramref name="path"/> (<c>-</c>: standard
    /// input, a single volume). Following volumes are found by name: <c>NAME.001</c> after <c>NAME.000</c>.</summary>
    public PartimageReader(string path) : this(path, null)
    {
    }

    /// <summary>Creates a reader whose first volume <paramref name="firstVolume"/> is open already (its
    /// <see cref="SequentialImage.Path"/> names the following volumes); takes it over.</summary>
    public PartimageReader(SequentialImage firstVolume) : this(firstVolume.Path, firstVolume)
    {
    }

    private PartimageReader(string path, SequentialImage? firstVolume)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _volumes = new PartimageVolumeStream(path, firstVolume);
        _input = new ImageInput(_volumes, path);
    }

    /// <summary>The first volume's name as given.</summary>
    public string Path { get; }

    /// <summary>Volume 0's header (after <see cref="OpenAsync"/>).</summary>
    public PartimageVolumeHeader VolumeHeader => _volumes.FirstHeader;

    /// <summary>The main header (after <see cref="OpenAsync"/>).</summary>
    public PartimageMainHeader MainHeader => _main;

    /// <summary>The local header (after <see cref="OpenAsync"/>).</summary>
    public PartimageLocalHeader LocalHeader => _local;

    /// <summary>The block bitmap (after <see cref="OpenAsync"/>).</summary>
    public PartcloneBitmap Bitmap => _bitmap ?? throw NotOpen();

    /// <summary>Logical offset of the first data byte (after <c>MAGIC-BEGIN-DATABLOCKS</c>).</summary>
    public long DataStart => _dataStart;

    /// <summary>The volumes read so far.</summary>
    public IReadOnlyList<PartimageVolume> Volumes => _volumes.Volumes;

    /// <summary>The tail, once the whole image was read.</summary>
    public PartimageTail? Tail => _tail;

    /// <summary>CHK records read so far.</summary>
    public long ChkRead => Interlocked.Read(ref _chkRead);

    /// <summary>The verifier of the image's CHK records and tail sum (after <see cref="OpenAsync"/>).</summary>
    public PartimageVerifier? PartimageVerifier => _verifier;

    /// <inheritdoc />
    public IImageVerifier? Verifier => _verifier;

    /// <inheritdoc />
    public long BytesRead => _input.Position;

    /// <summary>Opens the image whose first volume is <paramref name="path"/> for one sequential pass.</summary>
    public static PartimageReader Open(string path) => new(path);

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun() => new()
    {
        ["bytesRead"] = BytesRead,
        ["chkRead"] = ChkRead,
        ["complete"] = _complete,
        ["tailOffset"] = _tail?.Offset,
        ["tailGlobalSum"] = _tail is { } t ? $"{t.GlobalSum:x16}" : null,
        ["tailLastVolume"] = _tail?.LastVolume,
        ["tailReservedNonZeroBytes"] = _tail is null ? null : _tailReservedNonZero,
        ["volumes"] = new JsonArray([.. _volumes.Volumes.Select(v => (JsonNode)new JsonObject
        {
            ["number"] = v.Number,
            ["path"] = v.Path,
            ["compression"] = v.Compression.ToString().ToLowerInvariant(),
            ["logicalStart"] = v.LogicalStart,
            ["logicalLength"] = v.LogicalLength,
        })]),
        ["missingVolume"] = _volumes.MissingVolume,
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _volumes.DisposeAsync().ConfigureAwait(false);

    private static InvalidOperationException NotOpen() => new("The image is not open: call OpenAsync first.");
}
