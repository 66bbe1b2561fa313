using System.Security.Cryptography;
using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Stages.Hashing;
using ForensicPipe.Core.Tests.TestSupport;

namespace ForensicPipe.Core.Tests.Stages;

public class HashGroupConsumerTests
{
    private const int BufferSize = 4096;
    private static readonly TimeSpan s_noHang = TimeSpan.FromSeconds(30);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static async Task<PipelineResult> RunAsync(IExtentSource source, IReadOnlyList<IExtentConsumer> consumers, BufferPool pool,
        CancellationToken cancellationToken = default)
    {
        await source.OpenAsync(cancellationToken);
        var pipeline = new ExtentPipeline(source, [], consumers, pool, new PipelineOptions { BlockCapacity = 2, ConsumerCapacity = 2 });
        return await pipeline.RunAsync(cancellationToken).WaitAsync(s_noHang, CancellationToken.None);
    }

    [Fact]
    public void HashGroupConsumer_Name_AlgorithmsJoinedWithPlus()
    {
        var group = new HashGroupConsumer([new HashConsumer("sha1"), new HashConsumer("sha256")]);

        Assert.Equal("sha1+sha256", group.Name);
        Assert.Equal(["sha1", "sha256"], group.Members.Select(member => member.Algorithm));
    }

    [Fact]
    public void HashGroupConsumer_NoMembers_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HashGroupConsumer([]));
    }

    [Fact]
    public async Task HashGroupConsumer_DataAbsentAndWindows_EachMemberEqualsItsOwnOneShotDigests()
    {
        byte[] content = RandomBytes(50_000);
        List<(ExtentKind, long)> script = [.. ScriptedSource.DataChunks(12_000, 4000), (ExtentKind.Absent, 9000), (ExtentKind.Data, 4000),
            (ExtentKind.Unreadable, 5000), .. ScriptedSource.DataChunks(20_000, 3000)];
        byte[] expected = [.. content[..12_000], .. new byte[9000], .. content[21_000..25_000], .. new byte[5000], .. content[30_000..50_000]];
        HashConsumer[] members = [new HashConsumer("md5", 7000), new HashConsumer("sha1", 7000), new HashConsumer("sha512", 7000)];
        using var pool = new BufferPool(BufferSize);

        PipelineResult result = await RunAsync(new ScriptedSource(content, script), [new HashGroupConsumer(members)], pool);

        Assert.True(result.Succeeded, result.Fault?.ToString());
        Assert.Equal(50_000, result.PartitionBytes);
        foreach (HashConsumer member in members)
        {
            HashAlgorithmName name = HashAlgorithmKind.ToBcl(member.Algorithm);
            Assert.Equal(Convert.ToHexStringLower(CryptographicOperations.HashData(name, expected)), member.Digest);
            Assert.Equal(50_000, member.Bytes);
            Assert.Equal(8, member.Windows.Count);
            for (int i = 0; i < member.Windows.Count; i++)
            {
                int start = i * 7000;
                int length = Math.Min(7000, expected.Length - start);
                Assert.Equal(new WindowDigest(start, length,
                    Convert.ToHexStringLower(CryptographicOperations.HashData(name, expected.AsSpan(start, length)))), member.Windows[i]);
            }
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task HashGroupConsumer_MemberFaults_FailsWithTheGroupsNameWithoutHangAndPoolBalanced()
    {
        byte[] content = RandomBytes(40 * 1000);
        using var pool = new BufferPool(BufferSize);
        var broken = new HashConsumer("sha512");
        await broken.DisposeAsync(); // a disposed IncrementalHash throws on the first extent
        var group = new HashGroupConsumer([new HashConsumer("sha1"), broken]);
        var sink = new RecordingConsumer("sink", delayMs: 1);

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)),
            [sink, group, new HashConsumer("md5")], pool);

        Assert.False(result.Succeeded);
        Assert.Equal("hash sha1+sha512", result.FaultedBlock);
        Assert.IsType<ObjectDisposedException>(result.Fault);
        Assert.False(sink.Completed);
        Assert.Null(group.Members[0].Digest);
        Assert.Equal(0, pool.Outstanding);
        await group.DisposeAsync();
    }

    [Fact]
    public async Task HashGroupConsumer_Cancelled_EndsAsCancelledWithoutDigestsAndPoolBalanced()
    {
        byte[] content = RandomBytes(400 * 1000);
        using var pool = new BufferPool(BufferSize);
        using var cancellation = new CancellationTokenSource();
        var slow = new RecordingConsumer("slow", delayMs: 5);
        var group = new HashGroupConsumer([new HashConsumer("md5"), new HashConsumer("sha256")]);
        cancellation.CancelAfter(100);

        PipelineResult result = await RunAsync(new ScriptedSource(content, ScriptedSource.DataChunks(content.Length, 1000)),
            [slow, group], pool, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Null(result.Fault);
        Assert.True(slow.Seen.Count < 400);
        Assert.All(group.Members, member => Assert.Null(member.Digest));
        Assert.Equal(0, pool.Outstanding);
        await group.DisposeAsync();
    }
}
