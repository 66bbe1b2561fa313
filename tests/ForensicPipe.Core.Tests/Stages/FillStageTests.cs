using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Fill;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Stages;

public class FillStageTests
{
    [Theory]
    [InlineData("deadbeef", new byte[] { 0xDE, 0xAD, 0xBE, 0xEF })]
    [InlineData("zero", new byte[] { 0 })]
    [InlineData("0xfeedface01", new byte[] { 0xFE, 0xED, 0xFA, 0xCE, 0x01 })]
    [InlineData("a5", new byte[] { 0xA5 })]
    public async Task FillStage_AbsentRanges_HoldThePatternAnchoredAtPartitionOffsetZero(string name, byte[] pattern)
    {
        byte[] content = new byte[30_000];
        new Random(3).NextBytes(content);
        using var pool = new BufferPool(4096);
        // Absent ranges that start at odd offsets and are longer than a buffer.
        List<(ExtentKind, long)> script = [(ExtentKind.Data, 1001), (ExtentKind.Absent, 9999), (ExtentKind.Data, 3), (ExtentKind.Unreadable, 18_997)];
        var recorder = new RecordingConsumer();
        var source = new ScriptedSource(content, script);
        await source.OpenAsync(default);

        PipelineResult result = await new ExtentPipeline(source, [new FillStage(FillPattern.TryParse(name, out _)!, pool)], [recorder], pool).RunAsync(default);

        Assert.True(result.Succeeded);
        byte[] output = recorder.Bytes;
        Assert.Equal(content.Length, output.Length);
        for (int i = 0; i < output.Length; i++)
        {
            bool filled = i is >= 1001 and < 11_000 or >= 11_003;
            Assert.Equal(filled ? pattern[i % pattern.Length] : content[i], output[i]);
        }
        Assert.All(recorder.Seen, seen => Assert.Equal(ExtentKind.Data, seen.Kind));
        Assert.All(recorder.Seen, seen => Assert.InRange(seen.Length, 1, 4096));
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("abc")]
    [InlineData("zz")]
    [InlineData("00112233445566778899aabbccddeeff00")]
    public void FillPattern_Invalid_IsRefusedWithReason(string text)
    {
        Assert.Null(FillPattern.TryParse(text, out string? error));
        Assert.Contains("hex", error);
    }
}
