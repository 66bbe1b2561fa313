using ForensicPipe.Devices.Listing;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Listing;

public class DeviceCatalogTests
{
    /// <summary>A fake /sys/block folder for one device, with the attributes the kernel exposes.</summary>
    private static string FakeDevice(string root, string name, long sectors512, IDictionary<string, string> attributes)
    {
        string directory = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(directory, "queue"));
        Directory.CreateDirectory(Path.Combine(directory, "device"));
        File.WriteAllText(Path.Combine(directory, "size"), sectors512 + "\n");
        foreach ((string key, string value) in attributes)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, key))!);
            File.WriteAllText(Path.Combine(directory, key), value + "\n");
        }
        return directory;
    }

    [Fact]
    public void List_FakeSysfs_RemovableFirstWithIdentityPartitionsAndMounts()
    {
        using var directory = new TempDirectory();
        string root = directory.File("block");
        FakeDevice(root, "nvme0n1", 1000, new Dictionary<string, string>
        {
            ["dev"] = "259:0", ["device/model"] = "Fast SSD 1TB", ["device/serial"] = "S5GXNX0", ["queue/logical_block_size"] = "512",
            ["queue/physical_block_size"] = "4096", ["removable"] = "0",
        });
        string stick = FakeDevice(root, "sdb", 2048, new Dictionary<string, string>
        {
            ["dev"] = "8:16", ["device/model"] = "Courier", ["device/vendor"] = "Integral", ["removable"] = "1", ["ro"] = "0",
            ["queue/logical_block_size"] = "512", ["queue/physical_block_size"] = "512",
            ["sdb1/partition"] = "1", ["sdb1/dev"] = "8:17", ["sdb1/size"] = "2000",
        });
        byte[] vpd = [0, 0x80, 0, 6, .. "ABC123"u8];
        File.WriteAllBytes(Path.Combine(stick, "device", "vpd_pg80"), vpd);
        FakeDevice(root, "loop7", 0, new Dictionary<string, string> { ["dev"] = "7:7" });
        MountEntry mount = new("8:17", "/media/usb", "vfat", "/dev/sdb1");

        IReadOnlyList<BlockDeviceEntry> devices = DeviceCatalog.List(root, [mount]);

        Assert.Equal(["sdb", "nvme0n1"], devices.Select(d => d.Name));
        BlockDeviceEntry usb = devices[0];
        Assert.True(usb.Removable);
        Assert.Equal("Integral", usb.Vendor);
        Assert.Equal("Courier", usb.Model);
        Assert.Equal("ABC123", usb.Serial);
        Assert.Equal(2048L * 512, usb.Size);
        Assert.True(usb.IsMounted);
        PartitionEntry partition = Assert.Single(usb.Partitions);
        Assert.Equal(("sdb1", "/dev/sdb1", 2000L * 512), (partition.Name, partition.Path, partition.Size));
        Assert.Equal(mount, Assert.Single(partition.Mounts));
        BlockDeviceEntry nvme = devices[1];
        Assert.Equal(("nvme", "S5GXNX0", 512, 4096), (nvme.Transport, nvme.Serial, nvme.LogicalSectorSize, nvme.PhysicalSectorSize));
        Assert.False(nvme.IsMounted);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void ListCurrent_AttachedLoopDevice_ListedWithSizeSectorSizeAndBackingFile(int sectorSize)
    {
        using var directory = new TempDirectory();
        string backing = directory.File("backing.img");
        File.WriteAllBytes(backing, new byte[3 << 20]);
        using LoopDevice loop = LoopDevice.Attach(backing, sectorSize);

        BlockDeviceEntry entry = Assert.Single(DeviceCatalog.ListCurrent(), d => d.Path == loop.Path);

        Assert.Equal(3L << 20, entry.Size);
        Assert.Equal(sectorSize, entry.LogicalSectorSize);
        Assert.Equal("loop", entry.Transport);
        Assert.Equal(backing, entry.BackingFile);
        Assert.Equal(loop.Path, (string?)entry.ToJson()["path"]);
    }
}
