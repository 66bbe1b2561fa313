using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Stages.Hashing;

namespace ForensicPipe.Core.Jobs;

/// <summary>The rules a parsed job must keep beyond its JSON shape (values, combinations).</summary>
internal static class JobValidator
{
    /// <summary>Smallest buffer: one 4 KiB sector, the alignment of direct I/O.</summary>
    public const int MinBufferSize = 4096;

    /// <summary>Largest buffer: 64 MiB (partclone's largest block).</summary>
    public const int MaxBufferSize = 64 << 20;

    public static void Validate(JobSpec job, string file)
    {
        if (string.IsNullOrEmpty(job.Source.Path))
        {
            throw new JobValidationException(file, "$.source.path", "must not be empty");
        }
        if (job.Source is DeviceSourceSpec device)
        {
            ValidateDevice(device, file);
        }
        if (job.BufferSize is int bufferSize
            && (bufferSize < MinBufferSize || bufferSize > MaxBufferSize || bufferSize % MinBufferSize != 0))
        {
            throw new JobValidationException(file, "$.bufferSize",
                $"{bufferSize} is not a multiple of {MinBufferSize} between {MinBufferSize} and {MaxBufferSize}");
        }
        var algorithms = new HashSet<string>();
        int fills = 0, verifies = 0;
        for (int i = 0; i < job.Stages.Count; i++)
        {
            string at = $"$.stages[{i}]";
            switch (job.Stages[i])
            {
                case HashStageSpec hash:
                    ValidateHash(hash, at, file, algorithms);
                    break;
                case FillStageSpec fill:
                    if (++fills > 1)
                    {
                        throw new JobValidationException(file, at, "only one fill stage is allowed");
                    }
                    if (FillPattern.TryParse(fill.Pattern, out string? error) is null)
                    {
                        throw new JobValidationException(file, $"{at}.pattern", error!);
                    }
                    break;
                case VerifyStageSpec:
                    if (++verifies > 1)
                    {
                        throw new JobValidationException(file, at, "only one verify stage is allowed");
                    }
                    if (job.Source is FileSourceSpec or DeviceSourceSpec)
                    {
                        throw new JobValidationException(file, at, "a raw file or device has no checksums of its own to verify; use a hash stage");
                    }
                    break;
                case null:
                    throw new JobValidationException(file, at, "must be an object");
            }
        }
        if (job.Sinks.Count == 0)
        {
            throw new JobValidationException(file, "$.sinks", "at least one sink is needed");
        }
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < job.Sinks.Count; i++)
        {
            string at = $"$.sinks[{i}]";
            switch (job.Sinks[i])
            {
                case RawFileSinkSpec raw:
                    if (string.IsNullOrEmpty(raw.Path))
                    {
                        throw new JobValidationException(file, $"{at}.path", "must not be empty");
                    }
                    if (!outputs.Add(raw.Path))
                    {
                        throw new JobValidationException(file, $"{at}.path", $"'{raw.Path}' is already the path of another sink");
                    }
                    Sinks.RawFileOutputs.Validate(raw, at, file);
                    if (raw.Path == job.Source.Path)
                    {
                        throw new JobValidationException(file, $"{at}.path", "the output is the job's own source");
                    }
                    if (job.Source is DeviceSourceSpec { Mapfile: string mapfile } && raw.Path == mapfile)
                    {
                        throw new JobValidationException(file, $"{at}.path", "the output is the source's mapfile");
                    }
                    break;
                case E01SinkSpec e01:
                    e01.Validate(file, at);
                    if (!outputs.Add(e01.Path) || e01.Path == job.Source.Path)
                    {
                        throw new JobValidationException(file, $"{at}.path", $"'{e01.Path}' is already the source or another sink");
                    }
                    break;
                case DeviceSinkSpec target:
                    if (string.IsNullOrEmpty(target.Path))
                    {
                        throw new JobValidationException(file, $"{at}.path", "must not be empty");
                    }
                    if (!target.Confirm)
                    {
                        throw new JobValidationException(file, $"{at}.confirm",
                            $"restoring overwrites {target.Path}: set \"confirm\": true (or --yes) to confirm");
                    }
                    if (target.Offset < 0)
                    {
                        throw new JobValidationException(file, $"{at}.offset", $"{target.Offset} is negative");
                    }
                    if (!outputs.Add(target.Path))
                    {
                        throw new JobValidationException(file, $"{at}.path", $"'{target.Path}' is already the path of another sink");
                    }
                    if (target.Path == job.Source.Path)
                    {
                        throw new JobValidationException(file, $"{at}.path", "the target is the job's own source");
                    }
                    break;
                case null:
                    throw new JobValidationException(file, at, "must be an object");
            }
        }
        if (job.Telemetry?.OtlpEndpoint is Uri endpoint && !endpoint.IsAbsoluteUri)
        {
            throw new JobValidationException(file, "$.telemetry.otlpEndpoint", $"'{endpoint}' is not an absolute URI");
        }
    }

    private static void ValidateDevice(DeviceSourceSpec device, string file)
    {
        if (device.ReportedSize is long reported && reported <= 0)
        {
            throw new JobValidationException(file, "$.source.reportedSize", $"{reported} is not a positive number of bytes");
        }
        if (device.Retries is < 0 or > DeviceSourceSpec.MaxRetries)
        {
            throw new JobValidationException(file, "$.source.retries", $"{device.Retries} is not between 0 and {DeviceSourceSpec.MaxRetries}");
        }
        if (device.MaxBadSectors is long limit && limit < 0)
        {
            throw new JobValidationException(file, "$.source.maxBadSectors", $"{limit} is negative");
        }
        if (device.Mapfile is string mapfile && (mapfile.Length == 0 || mapfile == device.Path))
        {
            throw new JobValidationException(file, "$.source.mapfile", mapfile.Length == 0 ? "must not be empty" : "the mapfile is the source itself");
        }
        if (device.Resume && device.Mapfile is null)
        {
            throw new JobValidationException(file, "$.source.resume", "resuming needs a mapfile (\"mapfile\", --mapfile): it is the record of what is already read");
        }
        if (device.RetryBad && !device.Resume)
        {
            throw new JobValidationException(file, "$.source.retryBad", "retrying bad areas needs \"resume\": true (--resume): they are the bad areas of an earlier run's mapfile");
        }
    }

    private static void ValidateHash(HashStageSpec hash, string at, string file, HashSet<string> seen)
    {
        if (hash.Algorithms.Count == 0)
        {
            throw new JobValidationException(file, $"{at}.algorithms", "name at least one algorithm");
        }
        for (int j = 0; j < hash.Algorithms.Count; j++)
        {
            string name = hash.Algorithms[j];
            if (!HashAlgorithmKind.IsKnown(name))
            {
                throw new JobValidationException(file, $"{at}.algorithms[{j}]",
                    $"unknown algorithm '{name}'; known: {string.Join(", ", HashAlgorithmKind.Names)}");
            }
            if (!seen.Add(name))
            {
                throw new JobValidationException(file, $"{at}.algorithms[{j}]", $"'{name}' is computed twice");
            }
        }
        if (hash.Window is long window && window <= 0)
        {
            throw new JobValidationException(file, $"{at}.window", $"{window} is not a positive number of bytes");
        }
    }
}
