using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.IO;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Devices.Rescue;
using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Devices;

/// <summary>
/// The mapfile and resuming. The mapfile records as finished only what the output durably holds: the source's reads wait
/// in <see cref="_pending"/> until the raw-file output has written past them (<see cref="IResumableOutput.WrittenUpTo"/>)
/// and has been fsynced; then the map takes them and is written (temporary name, fsync, rename, folder fsync)
/// every <see cref="DeviceSourceOptions.MapfileInterval"/> and at the end. So a kill or a power loss costs at
/// most the reads of one interval, and never marks as finished a byte the output lost. A resumed run reads
/// the finished areas back from <c>OUT.partial</c> (so the digests cover the whole output), reads the rest
/// from the source, and keeps or retries the bad areas.
/// </summary>
public sealed partial class DeviceSource
{
    private const string KeptBadError = "unreadable in an earlier session; not read again (--retry-bad, \"retryBad\": true, retries it)";

    private readonly Lock _mapLock = new();
    private readonly LinkedList<MapfileArea> _pending = new();
    private readonly Stopwatch _sinceMapfile = Stopwatch.StartNew();
    private readonly DateTimeOffset _startUtc = DateTimeOffset.UtcNow;
    private IResumableOutput? _output;
    private SafeFileHandle? _partial;
    private RescueMap? _map;
    private MapfileIdentity? _identity;
    private IReadOnlyList<RescueSession> _earlierSessions = [];
    private bool _resumed;
    private bool _probedBefore;
    private string? _resumeNote;
    private long _finishedAtStart;
    private long _badAtStart;
    private long _reReadBytes;
    private int _mapfileWrites;

    /// <inheritdoc />
    public void BindOutput(IResumableOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes of earlier sessions' output re-read from <c>OUT.partial</c> for the digests.</summary>
    public long BytesReReadFromOutput => Interlocked.Read(ref _reReadBytes);

    /// <summary>Sets up the map; on resume reads the mapfile, refuses one of another source or output
    /// (<see cref="JobValidationException"/>: nothing has been read or written), and opens <c>OUT.partial</c>.</summary>
    private void PrepareMapfile(IBlockDevice device, string mapfile)
    {
        JsonObject described = device.Describe();
        _identity = new MapfileIdentity(device.Path, device.ReportedSize, _sectorSize, Text(described["model"]), Text(described["serial"]),
            _output?.FinalPath);
        _map = new RescueMap(_reportedSize);
        if (!_options.Resume)
        {
            return;
        }
        IResumableOutput output = _output ?? throw Refuse(mapfile, "resuming needs a raw-file output, whose .partial file the run continues");
        if (!File.Exists(mapfile))
        {
            _resumeNote = $"nothing to resume: {mapfile} does not exist, so the acquisition started from the beginning";
            return;
        }
        ParsedMapfile parsed;
        try
        {
            parsed = DdrescueMapfile.Parse(mapfile);
        }
        catch (Exception exception) when (exception is ForensicPipeException or IOException or UnauthorizedAccessException)
        {
            throw Refuse(mapfile, $"cannot read the mapfile: {exception.Message}");
        }
        MapfileIdentity recorded = MapfileIdentity.FromComments(parsed.Comments)
            ?? throw Refuse(mapfile, "the mapfile does not say which source and output it belongs to (no fpipe-source line; "
                + "not written by fpipe image), and resuming from it could mark unread bytes as copied");
        if (recorded.MismatchWith(_identity) is string reason)
        {
            throw Refuse(mapfile, $"the mapfile belongs to another acquisition: {reason}");
        }
        long finishedEnd = parsed.Map.FinishedEnd;
        long partialLength = File.Exists(output.PartialPath) ? new FileInfo(output.PartialPath).Length : -1;
        if (partialLength < finishedEnd)
        {
            throw Refuse(mapfile, partialLength < 0
                ? $"the mapfile records bytes up to {finishedEnd} as copied, but {output.PartialPath} does not exist"
                : $"{output.PartialPath} holds {partialLength} bytes, fewer than the {finishedEnd} the mapfile records as copied");
        }
        _map = parsed.Map;
        if (_map.End < _reportedSize)
        {
            _map.Mark(_map.End, _reportedSize - _map.End, DdrescueMapfile.NonTried);
        }
        _earlierSessions = RescueSession.FromComments(parsed.Comments);
        _resumed = true;
        _probedBefore = parsed.Finished;
        _finishedAtStart = _map.BytesWith(DdrescueMapfile.Finished);
        _badAtStart = _map.BytesWith(DdrescueMapfile.BadSector);
        if (partialLength >= 0)
        {
            output.KeepExistingPartial();
            _partial = File.OpenHandle(output.PartialPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0 ? text : null;

    private static JobValidationException Refuse(string mapfile, string reason) =>
        new(mapfile, "$.source.mapfile", $"refused, nothing read: {reason}");

    /// <summary>What to read, in order: the map's areas (all not tried on a fresh run).</summary>
    private List<MapfileArea> PlannedAreas()
    {
        lock (_mapLock)
        {
            return _map is null
                ? _reportedSize > 0 ? [new MapfileArea(0, _reportedSize, DdrescueMapfile.NonTried)] : []
                : [.. _map.Areas];
        }
    }

    /// <summary>Re-reads <c>[_position, end)</c>, finished by an earlier session, from <c>OUT.partial</c>.</summary>
    private async IAsyncEnumerable<Extent> ReadFromOutputAsync(BufferPool pool, long end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SafeFileHandle partial = _partial ?? throw new InvalidOperationException("no partial output to resume from");
        while (_position < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = (int)Math.Min(pool.BufferSize, end - _position);
            PooledBuffer buffer = pool.Rent();
            try
            {
                int got = 0;
                while (got < length)
                {
                    int read = await RandomAccess.ReadAsync(partial, buffer.Memory.Slice(got, length - got), _position + got, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new DeviceIOException(_output!.PartialPath, _position + got, "the output ended before the bytes the mapfile records as copied");
                    }
                    got += read;
                }
            }
            catch (Exception exception) when (exception is IOException or DeviceIOException)
            {
                buffer.Release();
                throw exception as DeviceIOException
                    ?? new DeviceIOException(_output!.PartialPath, _position, $"cannot re-read the copied part: {exception.Message}", exception);
            }
            catch
            {
                buffer.Release();
                throw;
            }
            Extent data = Extent.Data(_position, buffer, length);
            Pend(_position, length, DdrescueMapfile.Finished);
            _position += length;
            Interlocked.Add(ref _reReadBytes, length);
            yield return data;
        }
    }

    /// <summary>A bad area of an earlier session, not retried: unreadable again, filled as before, listed again.</summary>
    private async IAsyncEnumerable<Extent> KeepBadAsync(MapfileArea area)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        long first = area.Position / _sectorSize;
        long count = (area.Position + area.Size + _sectorSize - 1) / _sectorSize - first;
        long total;
        lock (_stateLock)
        {
            if (_badRanges.Count > 0 && _badRanges[^1] is BadRange last && last.FirstSector + last.SectorCount == first && last.Error == KeptBadError)
            {
                _badRanges[^1] = last with { SectorCount = last.SectorCount + count };
            }
            else
            {
                _badRanges.Add(new BadRange(first, count, _sectorSize, KeptBadError));
            }
            _position = area.Position + area.Size;
            _badSectors += count;
            total = _badSectors;
        }
        Pend(area.Position, area.Size, DdrescueMapfile.BadSector);
        if (_options.MaxBadSectors is long limit && total > limit)
        {
            throw new DeviceIOException(_path, area.Position,
                $"{total} unreadable sectors, more than the limit of {limit} (maxBadSectors / --max-bad-sectors); the job stops");
        }
        yield return Extent.Unreadable(area.Position, area.Size, KeptBadError);
    }

    /// <summary>A bad area of an earlier session, read again sector by sector with the retries (as ddrescue's
    /// retry passes): what reads now is recovered, the rest stays bad.</summary>
    private async IAsyncEnumerable<Extent> RetryBadAsync(BufferPool pool, long end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (_position < end && !_endedEarly)
        {
            int length = (int)Math.Min(pool.BufferSize, end - _position);
            await foreach (Extent extent in RescueAsync(pool, pool.Rent(), _position, length, cancellationToken).ConfigureAwait(false))
            {
                yield return extent;
            }
        }
    }

    /// <summary>Records that <c>[position, position + size)</c> was read (or found bad); the map takes it once
    /// the output holds it. Rewrites the mapfile when the interval has passed.</summary>
    private void Pend(long position, long size, char status)
    {
        if (_map is null || size <= 0)
        {
            return;
        }
        lock (_mapLock)
        {
            if (status == DdrescueMapfile.BadSector)
            {
                // "Bad" claims nothing about the output (a resumed run fills the area again), so it is recorded at
                // once: what was learnt about the medium survives a crash.
                _map.Mark(position, size, status);
            }
            else if (_pending.Last is { } last && last.Value.Status == status && last.Value.Position + last.Value.Size == position)
            {
                last.Value = last.Value with { Size = last.Value.Size + size };
            }
            else
            {
                _pending.AddLast(new MapfileArea(position, size, status));
            }
        }
        if (_sinceMapfile.Elapsed >= _options.MapfileInterval && _options.MapfilePath is string mapfile)
        {
            try
            {
                WriteMapfile(mapfile, finished: false);
            }
            catch (ForensicPipeException exception)
            {
                // The copy goes on; the next interval tries again, and the report keeps the error.
                _mapfileError = exception.Message;
                _sinceMapfile.Restart();
            }
        }
    }

    /// <summary>Moves into the map what the output holds durably, then writes the mapfile.</summary>
    private void WriteMapfile(string path, bool finished, bool final = false)
    {
        lock (_mapLock)
        {
            RescueMap map = _map ?? throw new InvalidOperationException("no map");
            long reach = long.MaxValue;
            if (_output is not null)
            {
                reach = _output.WrittenUpTo;
                try
                {
                    _output.FlushWritten();
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Not durable: nothing new may be recorded as copied.
                    reach = 0;
                }
            }
            ApplyPending(map, reach);
            bool done = finished && _pending.Count == 0;
            long current = Math.Min(reach, _position);
            string version = typeof(DeviceSource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
            RescueSession session = CurrentSession(final ? done ? "read to the end" : $"stopped; the output holds what was read up to byte {current}" : RescueSession.Running);
            IEnumerable<string> comments = (_identity?.ToComments() ?? [])
                .Concat(_earlierSessions.Select(s => s.ToComment()))
                .Append(session.ToComment());
            string text = DdrescueMapfile.Render(map.Areas, current, done, string.Join(' ', Environment.GetCommandLineArgs()),
                _startLocal, DateTime.Now, version, comments);
            try
            {
                DurableFile.WriteAtomically(path, text);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new ForensicPipeException($"{path}: cannot write the mapfile: {exception.Message}", exception);
            }
            _mapfileWrites++;
            _sinceMapfile.Restart();
        }
    }

    /// <summary>Pending areas wholly below <paramref name="reach"/> go into the map; one that straddles it is
    /// split at the last whole sector below it.</summary>
    private void ApplyPending(RescueMap map, long reach)
    {
        while (_pending.First is { } first)
        {
            MapfileArea area = first.Value;
            long end = area.Position + area.Size;
            if (end <= reach)
            {
                map.Mark(area.Position, area.Size, area.Status);
                _pending.RemoveFirst();
                continue;
            }
            long cut = reach - reach % _sectorSize;
            if (cut > area.Position)
            {
                map.Mark(area.Position, cut - area.Position, area.Status);
                first.Value = new MapfileArea(cut, end - cut, area.Status);
            }
            break;
        }
    }

    private RescueSession CurrentSession(string outcome) => new(_earlierSessions.Count + 1,
        _startUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        BytesRead, _finishedAtStart, outcome);

    private JsonObject? DescribeResume()
    {
        if (!_options.Resume)
        {
            return null;
        }
        return new JsonObject
        {
            ["resumed"] = _resumed,
            ["note"] = _resumeNote ?? $"continued from {_options.MapfilePath} and {_output?.PartialPath}",
            ["finishedBytesAtStart"] = _finishedAtStart,
            ["badBytesAtStart"] = _badAtStart,
            ["retryBad"] = _options.RetryBad,
            ["bytesReReadFromOutput"] = BytesReReadFromOutput,
            ["digests"] = _resumed
                ? $"the digests cover the whole output: {BytesReReadFromOutput} bytes that earlier sessions copied were re-read from {_output?.PartialPath}, the rest was read from the source in this session"
                : "the digests cover the whole output, read from the source in this session",
        };
    }

    private JsonArray? DescribeSessions()
    {
        if (_map is null)
        {
            return null;
        }
        var sessions = new JsonArray();
        foreach (RescueSession earlier in _earlierSessions)
        {
            JsonObject json = earlier.ToJson();
            if (earlier.Outcome == RescueSession.Running)
            {
                json["outcome"] = $"interrupted (killed, or the machine stopped); its last mapfile record was written at {earlier.EndUtc}";
            }
            sessions.Add((JsonNode)json);
        }
        sessions.Add((JsonNode)CurrentSession(_finished ? "read to the end" : "stopped before the end").ToJson());
        return sessions;
    }
}
