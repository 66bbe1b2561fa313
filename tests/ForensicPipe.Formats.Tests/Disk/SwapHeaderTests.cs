using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Disk;

public sealed class SwapHeaderTests
{
    [Theory]
    [InlineData(8L << 20, "swappy", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")]
    [InlineData((1L << 20) + 1000, "sixteen-byte-lab", "ffffffff-0000-4000-8000-123456789abc")]
    [InlineData(1L << 20, "a label far longer than the field", "12345678-9abc-4def-8123-456789abcdef")]
    [InlineData(40960L, null, "00000000-0000-0000-0000-000000000001")]
    public async Task Write_BlankArea_IsTheFirstPageMkswapWrites(long size, string? label, string uuid)
    {
        using var folder = new TempDirectory();
        string area = folder.File("swap.raw");
        await using (FileStream file = File.Create(area))
        {
            file.SetLength(size);
        }
        List<string> arguments = label is null ? [] : ["-L", label];
        ToolResult mkswap = await ExternalTool.RunAsync("mkswap", [.. arguments, "-U", uuid, area]);
        Assert.True(mkswap.ExitCode == 0, mkswap.ToString());

        byte[] page = new byte[SwapHeader.DefaultPageSize];
        SwapHeader.Write(page, size, uuid, label);

        byte[] written = File.ReadAllBytes(area);
        Assert.Equal(Convert.ToHexString(written.AsSpan(0, page.Length)), Convert.ToHexString(page));
        Assert.True(written.AsSpan(page.Length).IndexOfAnyExcept((byte)0) < 0, "mkswap wrote past the first page");
    }

    [Fact]
    public void Write_AreaOfFewerThanTenPages_Throws() =>
        Assert.Throws<ArgumentException>(() => SwapHeader.Write(new byte[4096], 9 * 4096, null, null));
}
