using ForensicPipe.Core.Errors;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Verify;
using ForensicPipe.Core.Verification;

namespace ForensicPipe.Core.Tests.Stages;

public class VerifyStageTests
{
    /// <summary>Records a mismatch for each group index given, in order, for every extent it sees.</summary>
    private sealed class DamagedGroups(params long[] groups) : IImageVerifier
    {
        public string Method => "test groups";

        public void Verify(Extent extent, VerificationLog log)
        {
            foreach (long group in groups)
            {
                log.Record(new ChecksumResult("group", group, group * 100, group * 4096, "00000000", "ffffffff"));
            }
        }

        public void Complete(VerificationLog log)
        {
        }
    }

    private sealed class DiscardingWriter : IExtentWriter
    {
        public ValueTask WriteAsync(Extent extent, CancellationToken cancellationToken)
        {
            extent.Release();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task VerifyStage_SeveralDamagedGroupsInOneExtentOnFail_NamesTheFirst()
    {
        var log = new VerificationLog();
        // An earlier mismatch in the log (a header check) must not be the one named either.
        log.Record(new ChecksumResult("header", -1, 10, -1, "1", "2"));
        var stage = new VerifyStage(new DamagedGroups(3, 7, 9), MismatchPolicy.Fail, log);

        var error = await Assert.ThrowsAsync<VerificationMismatchException>(async () =>
            await stage.ProcessAsync(Extent.Absent(0, 65536), new DiscardingWriter(), default));

        Assert.Contains("group 3 stored at image byte 300", error.Message);
        Assert.DoesNotContain("group 9", error.Message);
    }

    [Fact]
    public async Task VerifyStage_DamagedGroupsOnRecord_ListsAllAndPasses()
    {
        var log = new VerificationLog();
        var stage = new VerifyStage(new DamagedGroups(3, 7), MismatchPolicy.Record, log);

        await stage.ProcessAsync(Extent.Absent(0, 65536), new DiscardingWriter(), default);

        Assert.Equal([3L, 7L], log.Mismatches.Select(m => m.Index));
    }
}
