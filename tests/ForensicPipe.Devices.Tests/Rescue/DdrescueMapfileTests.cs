using ForensicPipe.Devices.Rescue;
using ForensicPipe.Devices.Tests.TestSupport;

namespace ForensicPipe.Devices.Tests.Rescue;

public class DdrescueMapfileTests
{
    [Fact]
    public void Areas_BadRangesBetweenFinished_ContiguousFromZeroAdjacentOnesMerged()
    {
        IReadOnlyList<MapfileArea> areas = DdrescueMapfile.Areas(
            [new BadRange(0, 2, 512, "EIO"), new BadRange(10, 1, 512, "EIO"), new BadRange(11, 3, 512, "EIO")], 8192, 8192);

        Assert.Equal([new MapfileArea(0, 1024, '-'), new MapfileArea(1024, 4096, '+'), new MapfileArea(5120, 2048, '-'),
            new MapfileArea(7168, 1024, '+')], areas);
    }

    [Fact]
    public void Areas_StoppedEarly_RestIsNonTried()
    {
        IReadOnlyList<MapfileArea> areas = DdrescueMapfile.Areas([], 4096, 10240);

        Assert.Equal([new MapfileArea(0, 4096, '+'), new MapfileArea(4096, 6144, '?')], areas);
    }

    [Fact]
    public void Render_ReadByDdrescuelog_SameAreasAndStatus()
    {
        using var directory = new TempDirectory();
        string path = directory.File("test.map");
        IReadOnlyList<MapfileArea> areas = DdrescueMapfile.Areas([new BadRange(4, 2, 512, "EIO")], 1 << 20, 1 << 20);
        File.WriteAllText(path, DdrescueMapfile.Render(areas, 1 << 20, finished: true, "fpipe image x y", DateTime.Now, DateTime.Now, "0.1.0"));

        string status = ExternalTool.Run("ddrescuelog", "-t", path);

        Assert.Contains("current status: finished", status);
        Assert.Matches(@"bad-sector:\s+1024 B,\s+in\s+1 area", status);
        Assert.Equal("4\n5", ExternalTool.Run("ddrescuelog", "-b", "512", "-l-", path).Trim());
        Assert.Equal("0\n1\n2\n3", string.Join('\n', ExternalTool.Run("ddrescuelog", "-b", "512", "-l+", path).Split('\n').Take(4)));
    }
}
