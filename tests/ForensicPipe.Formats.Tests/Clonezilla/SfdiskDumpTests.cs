using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Clonezilla;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Clonezilla;

public sealed class SfdiskDumpTests
{
    [Fact]
    public async Task Parse_DumpOfAGptWrittenBySfdisk_GivesEveryPartition()
    {
        using var folder = new TempDirectory();
        string disk = folder.File("disk.raw");
        await using (FileStream file = File.Create(disk))
        {
            file.SetLength(64 << 20);
        }
        File.WriteAllText(folder.File("table"), "label: gpt\nstart=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI, with comma\"\nstart=8192, size=16384, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F\n");
        ToolResult write = await ExternalTool.RunAsync("bash", ["-c", $"sfdisk -q '{disk}' < '{folder.File("table")}' && sfdisk -d '{disk}' > '{folder.File("dump")}'"]);
        Assert.True(write.ExitCode == 0, write.ToString());

        SfdiskDump dump = SfdiskDump.Load(folder.File("dump"));

        Assert.True(dump.IsGpt);
        Assert.Equal(512, dump.SectorSize);
        Assert.Equal(131038, dump.LastLba);
        Assert.Equal(["disk.raw1", "disk.raw2"], dump.Partitions.Select(p => p.Name));
        Assert.Equal((2048L, 4096L, "EFI, with comma"), (dump.Partitions[0].Start, dump.Partitions[0].Size, dump.Partitions[0].Label));
        Assert.Equal("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", dump.Partitions[1].Type);
    }

    [Fact]
    public void Parse_DosDumpWithBootFlag_ReadsTypeAndFlag()
    {
        SfdiskDump dump = SfdiskDump.Parse("label: dos\nlabel-id: 0x5eed1e55\ndevice: /dev/sda\nunit: sectors\nsector-size: 512\n\n/dev/sda1 : start=        2048, size=       40960, type=83, bootable\n/dev/sda5 : start=53248, size=77824, type=6\n", "sda-pt.sf");

        Assert.False(dump.IsGpt);
        Assert.Equal("0x5eed1e55", dump.LabelId);
        Assert.True(dump.Partitions[0].Bootable);
        Assert.Equal(("sda5", "6"), (dump.Partitions[1].Name, dump.Partitions[1].Type));
    }

    [Theory]
    [InlineData("label: dos\n/dev/sda1 : start=abc, size=1, type=83\n", "line 2 at byte 11", "start 'abc' is not a sector number")]
    [InlineData("label: dos\n/dev/sda1 : size=1, type=83\n", "line 2", "lacks start")]
    [InlineData("label: sun\n", "line 1", "neither dos nor gpt")]
    [InlineData("unit: sectors\n", "line 1", "no 'label:' line")]
    [InlineData("label: gpt\nsector-size: 520\n", "line 2", "sector-size 520")]
    [InlineData("label: gpt\nsomething odd\n", "line 2", "neither 'key: value' nor a partition line")]
    public void Parse_BadDump_OneLineWithLineAndOffset(string text, string where, string detail)
    {
        var error = Assert.Throws<ImageFormatException>(() => SfdiskDump.Parse(text, "sda-pt.sf"));

        Assert.Contains("sda-pt.sf", error.Message);
        Assert.Contains(where, error.Message);
        Assert.Contains(detail, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
