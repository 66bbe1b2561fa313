using System.Globalization;
using System.Text.RegularExpressions;
using ForensicPipe.Formats.Input;

namespace ForensicPipe.Formats.Partimage;

/// <summary>
/// The logical stream of a partimage image (docs/formats/partimage.md, "Logical stream"): volume files <c>NAME.000</c>,
/// <c>NAME.001</c>, … each decompressed on its own (gzip or bzip2 by magic, docs/formats/partimage.md,
/// "Files, volumes and compression"), their 512-byte volume headers checked and dropped, the rest concatenated. The
/// next volume is opened when the current one ends and more bytes are asked for: its number must be the previous + 1
/// and its identifier that of volume 0. A missing next file ends the stream (the reader reports the truncation and
/// <see cref="MissingVolume"/>). Forward-only.
/// </summary>
internal sealed partial class PartimageVolumeStream : ForwardOnlyStream
{
    private readonly string _firstPath;
    private readonly string? _baseName;
    private readonly List<PartimageVolume> _volumes = [];
    private readonly byte[] _header = new byte[PartimageFieldOffsets.Volume.Size];
    private SequentialImage? _current;
    private SequentialImage? _opened;
    private PartimageVolumeHeader _first;
    private long _logical;
    private bool _ended;

    public PartimageVolumeStream(string firstPath, SequentialImage? firstVolume = null)
    {
        _opened = firstVolume;
        ArgumentException.ThrowIfNullOrEmpty(firstPath);
        _firstPath = firstPath;
        Match match = VolumeSuffix().Match(firstPath);
        _baseName = firstPath != Core.Sources.FileSource.StandardInput && match.Success && int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) == 0
            ? match.Groups[1].Value
            : null;
    }

    /// <summary>The header of volume 0 (after <see cref="OpenAsync"/>).</summary>
    public PartimageVolumeHeader FirstHeader => _first;

    /// <summary>The volumes opened so far, in order.</summary>
    public IReadOnlyList<PartimageVolume> Volumes => _volumes;

    /// <summary>The volume being read.</summary>
    public PartimageVolume Current => _volumes[^1];

    /// <summary>Logical bytes returned so far.</summary>
    public long LogicalPosition => _logical;

    /// <summary>Once set, the end of the current volume is the end of the stream (set after the tail, which names
    /// the last volume, so that reading on checks for bytes after it without looking for another volume).</summary>
    public bool StopAtVolumeEnd { get; set; }

    /// <summary>The file that should have held the next volume but does not exist, once the stream ended for that reason.</summary>
    public string? MissingVolume { get; private set; }

    /// <summary>Opens volume 0 and checks its header: magic, version, number 0.</summary>
    public async ValueTask<PartimageVolumeHeader> OpenAsync(CancellationToken cancellationToken)
    {
        _first = await OpenVolumeAsync(_firstPath, 0, cancellationToken).ConfigureAwait(false);
        return _first;
    }

    /// <summary>The name of volume <paramref name="number"/>, or null when the first file's name does not end in
    /// <c>.000</c> (<c>-V0</c> images, standard input): <c>.%03d</c>, 4 digits from 1000 (docs/formats/partimage.md,
    /// "Files, volumes and compression").</summary>
    public string? VolumePath(long number) =>
        _baseName is null ? null : $"{_baseName}.{number.ToString("D3", CultureInfo.InvariantCulture)}";

    /// <summary>Files that follow the first one by name (<c>NAME.001</c>, …) and exist, up to the first gap.</summary>
    public IReadOnlyList<string> FollowingVolumeFiles()
    {
        var files = new List<string>();
        for (long number = 1; VolumePath(number) is string path && File.Exists(path); number++)
        {
            files.Add(path);
        }
        return files;
    }

    /// <summary>Where logical byte <paramref name="logical"/> lies: volume number, file and (decompressed) file offset.</summary>
    public string Locate(long logical)
    {
        PartimageVolume? volume = null;
        foreach (PartimageVolume v in _volumes)
        {
            if (v.LogicalStart <= logical)
            {
                volume = v;
            }
        }
        if (volume is null)
        {
            return "before the first volume";
        }
        string kind = volume.Compression == ImageCompression.None ? "file byte" : "decompressed byte";
        return $"volume {volume.Number} {Path.GetFileName(volume.Path)} {kind} {PartimageFieldOffsets.Volume.Size + logical - volume.LogicalStart}";
    }

    /// <summary>Why the stream ended, for truncation messages.</summary>
    public string DescribeEnd()
    {
        string where = $"end of {Locate(_logical)}";
        if (MissingVolume is not null)
        {
            return $"{where}; the next volume {MissingVolume} does not exist";
        }
        if (_firstPath == Core.Sources.FileSource.StandardInput)
        {
            return $"{where}; standard input carries one volume only";
        }
        return _baseName is null ? $"{where}; the file name does not end in .000, so no next volume is looked for" : where;
    }

    private async ValueTask<PartimageVolumeHeader> OpenVolumeAsync(string path, uint expectedNumber, CancellationToken cancellationToken)
    {
        // Volume 0 may come already open (detection read its first bytes; standard input cannot be opened twice).
        SequentialImage image = expectedNumber == 0 && _opened is not null ? _opened : SequentialImage.Open(path);
        _opened = null;
        try
        {
            int got = await image.Stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            PartimageVolumeHeader header = PartimageVolumeHeader.Parse(_header.AsSpan(0, got), path);
            if (header.Number != expectedNumber)
            {
                PartimageThrowHelper.ThrowInvalid("volume number", PartimageFieldOffsets.Volume.Number,
                    expectedNumber == 0
                        ? $"{path} is volume {header.Number}, expected volume 0: give the first volume file (NAME.000)"
                        : $"{path} is volume {header.Number}, expected {expectedNumber} (the previous volume + 1)");
            }
            if (expectedNumber != 0 && header.Identifier != _first.Identifier)
            {
                PartimageThrowHelper.ThrowInvalid("volume identifier", PartimageFieldOffsets.Volume.Identifier,
                    $"{path} has identifier {header.IdentifierHex}, volume 0 has {_first.IdentifierHex}: it belongs to another image");
            }
            _current?.Dispose();
            _current = image;
            _volumes.Add(new PartimageVolume(header.Number, path, image.Compression, _logical));
            return header;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (!_ended && _current is not null)
        {
            int got = await _current.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (got > 0)
            {
                _logical += got;
                Current.LogicalLength += got;
                return got;
            }
            string? next = StopAtVolumeEnd ? null : VolumePath(Current.Number + 1L);
            if (next is null || !File.Exists(next))
            {
                MissingVolume = StopAtVolumeEnd ? null : next;
                _ended = true;
                break;
            }
            await OpenVolumeAsync(next, Current.Number + 1, cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>Not supported: volumes are opened asynchronously; use <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public override int Read(Span<byte> buffer) => throw new NotSupportedException("The partimage volume stream is read asynchronously.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _opened?.Dispose();
            _current = null;
        }
        base.Dispose(disposing);
    }

    [GeneratedRegex(@"^(.*)\.([0-9]{3,})$", RegexOptions.CultureInvariant)]
    private static partial Regex VolumeSuffix();
}
