using ForensicPipe.Devices.Listing;

namespace ForensicPipe.Devices.Tests.Listing;

public class MountInfoTests
{
    [Fact]
    public void Parse_LinesWithOptionalFieldsAndEscapes_DeviceMountPointFileSystem()
    {
        const string text = """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            36 22 8:17 / /media/usb\040stick rw,nosuid master:3 shared:7 - vfat /dev/sdb1 rw,fmask=0022
            40 22 0:5 / /dev rw - devtmpfs udev rw
            garbage line
            """;

        IReadOnlyList<MountEntry> entries = MountInfo.Parse(text);

        Assert.Equal(3, entries.Count);
        Assert.Equal(new MountEntry("254:0", "/", "ext4", "/dev/vda"), entries[0]);
        Assert.Equal(new MountEntry("8:17", "/media/usb stick", "vfat", "/dev/sdb1"), entries[1]);
        Assert.Equal("devtmpfs", entries[2].FileSystem);
    }

    [Theory]
    [InlineData(@"a\040b", "a b")]
    [InlineData(@"tab\011x", "tab\tx")]
    [InlineData(@"back\134slash", @"back\slash")]
    [InlineData(@"trailing\04", @"trailing\04")]
    [InlineData("plain", "plain")]
    public void Unescape_OctalEscapes(string field, string expected) => Assert.Equal(expected, MountInfo.Unescape(field));

    [Fact]
    public void ReadCurrent_ThisProcess_HasTheRootMount()
    {
        Assert.Contains(MountInfo.ReadCurrent(), entry => entry.MountPoint == "/");
    }
}
