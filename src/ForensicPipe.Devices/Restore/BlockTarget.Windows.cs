namespace ForensicPipe.Devices.Restore;

/// <summary>Other systems, Windows included: restoring onto a device is refused. Writing a Windows disk
/// safely needs the volumes on it locked and dismounted (<c>FSCTL_LOCK_VOLUME</c>,
/// <c>FSCTL_DISMOUNT_VOLUME</c>) and the "in use" checks Linux gets from <c>O_EXCL</c>; until that exists
/// and is tested, nothing is written.</summary>
internal sealed partial class BlockTarget
{
    private static BlockTarget OpenOther(string path) =>
        throw new TargetRefusedException($"{path}: restoring onto a device is implemented on Linux only in this build");
}
