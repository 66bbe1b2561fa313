using System.Text.Json.Nodes;
using ForensicPipe.Core.Jobs.Results;
using ForensicPipe.Devices.Rescue;

namespace ForensicPipe.Devices;

// What the run found, for the typed results and the report.
public sealed partial class DeviceSource
{
    /// <inheritdoc />
    public SourceReadOutcome? ReadOutcome => _device is null
        ? null
        : new SourceReadOutcome(Interlocked.Read(ref _badSectors), BadRanges.Count, UnreportedSectors, _reportedSize, _finished ? _position : null);

    /// <inheritdoc />
    public JsonObject? DescribeAfterRun()
    {
        if (_device is null)
        {
            return null;
        }
        IReadOnlyList<BadRange> bad = BadRanges;
        return new JsonObject
        {
            ["reportedSize"] = _reportedSize,
            ["osReportedSize"] = _device.ReportedSize,
            ["probedSize"] = _finished ? _position : null,
            ["bytesCovered"] = _position,
            ["logicalSectorSize"] = _sectorSize,
            ["unreportedSectors"] = UnreportedSectors,
            ["unreportedBytes"] = UnreportedSectors * _sectorSize,
            ["probe"] = _probeEnd ?? (_started ? "not reached" : "not started"),
            ["endedBeforeReportedSize"] = _endedEarly,
            ["readMode"] = _device.ReadMode,
            ["failedChunks"] = Interlocked.Read(ref _failedChunks),
            ["retries"] = Interlocked.Read(ref _retries),
            ["recoveredSectors"] = Interlocked.Read(ref _recoveredSectors),
            ["retriesPerSector"] = _options.Retries,
            ["badSectors"] = Interlocked.Read(ref _badSectors),
            ["maxBadSectors"] = _options.MaxBadSectors,
            ["badRanges"] = new JsonArray([.. bad.Select(range => (JsonNode?)new JsonObject
            {
                ["firstSector"] = range.FirstSector,
                ["sectorCount"] = range.SectorCount,
                ["offset"] = range.Offset,
                ["length"] = range.Length,
                ["error"] = range.Error,
            })]),
            ["mapfile"] = _options.MapfilePath,
            ["mapfileError"] = _mapfileError,
            ["mapfileWrites"] = _mapfileWrites,
            ["resume"] = DescribeResume(),
            ["sessions"] = DescribeSessions(),
        };
    }
}
