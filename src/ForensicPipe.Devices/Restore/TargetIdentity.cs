namespace ForensicPipe.Devices.Restore;

/// <summary>What a path is, to tell whether a restore target and the job's source are the same thing.</summary>
/// <param name="DeviceNumber">For a block device its own <c>major:minor</c>; null for a regular file.</param>
/// <param name="WholeDisk">For a partition the <c>major:minor</c> of its disk; else null.</param>
/// <param name="FileId">For a regular file <c>dev:inode</c>; else null.</param>
internal sealed record TargetIdentity(string? DeviceNumber, string? WholeDisk, string? FileId)
{
    /// <summary>Whether writing to this would overwrite <paramref name="source"/> or a part of it (the same
    /// device or file, a partition of the source disk, the disk that holds the source partition).</summary>
    public bool Overlaps(TargetIdentity source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (FileId is not null)
        {
            return FileId == source.FileId;
        }
        return DeviceNumber is not null && (DeviceNumber == source.DeviceNumber || DeviceNumber == source.WholeDisk
            || (WholeDisk is not null && WholeDisk == source.DeviceNumber));
    }
}
