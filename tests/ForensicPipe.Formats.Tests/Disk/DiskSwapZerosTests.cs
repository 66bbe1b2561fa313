using ForensicPipe.Core.Buffers;
using ForensicPipe.Core.Extents;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Disk;
using ForensicPipe.Formats.ImageAccess;
using ForensicPipe.Formats.Registry;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Disk;

/// <summary>A swap piece with <see cref="DiskSwapSpec.Zeros"/>: zeros over the whole partition, as data (so that a
/// device or a fill pattern gets zeros there), in the streamed disk and in its random access alike; and the
/// per-partition digests that <see cref="DiskSource.PartitionDigests"/> turns off.</summary>
public sealed class DiskSwapZerosTests
{
    private const long SwapOffset = 64 * 1024;
    private const long SwapLength = 192 * 1024;
    private const long DiskSize = 512 * 1024;

    private static DiskPiece[] Pieces(bool zeros) =>
    [
        new(DiskPieceKind.Swap, "sda3", SwapOffset, SwapLength, null)
        {
            Swap = new DiskSwapSpec { Label = "s", Uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", Zeros = zeros },
        },
    ];

    [Fact]
    public async Task ReadAsync_ZerosSwap_WholePartitionIsZeroDataNotAbsent()
    {
        await using var source = new DiskSource("disk", DiskSize, Pieces(zeros: true), ImageFormatRegistry.Default, "test");
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        // Small buffers: the zeros come in several extents.
        using var pool = new BufferPool(64 * 1024);
        long zeroData = 0;
        bool allZero = true;

        DrainResult result = await ExtentDrain.DrainAsync(source, info, pool, inspect: extent =>
        {
            if (extent.Offset >= SwapOffset && extent.End <= SwapOffset + SwapLength)
            {
                Assert.Equal(ExtentKind.Data, extent.Kind);
                zeroData += extent.Length;
                allZero &= !extent.Span.ContainsAnyExcept((byte)0);
            }
        });

        Assert.Equal(SwapLength, zeroData);
        Assert.True(allZero);
        Assert.Equal(SwapLength, result.DataBytes);
    }

    [Fact]
    public async Task ReadAsync_MkswapSwap_FirstPageIsTheHeaderAndTheRestAbsent()
    {
        await using var source = new DiskSource("disk", DiskSize, Pieces(zeros: false), ImageFormatRegistry.Default, "test");
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        using var pool = new BufferPool(64 * 1024);

        DrainResult result = await ExtentDrain.DrainAsync(source, info, pool);

        Assert.Equal(SwapHeader.DefaultPageSize, result.DataBytes);
    }

    [Fact]
    public async Task RandomAccess_ZerosSwap_ReadsZerosAndIsNotCalledSwap()
    {
        using DiskRandomAccess disk = await DiskRandomAccess.OpenAsync("disk", "disk", DiskSize, Pieces(zeros: true), ImageFormatRegistry.Default,
            new RandomAccessOptions(), "restore it first");
        byte[] whole = new byte[DiskSize];
        whole.AsSpan().Fill(0xAA);

        Assert.Equal(DiskSize, disk.Read(0, whole));

        Assert.False(whole.AsSpan().ContainsAnyExcept((byte)0));
        using IRandomAccessImage partition = disk.Slice(disk.Pieces[0]);
        Assert.Equal("zeros", partition.Format);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DescribeAfterRun_PartitionDigests_SetOrNullAsAsked(bool digests)
    {
        await using var source = new DiskSource("disk", DiskSize, Pieces(zeros: false), ImageFormatRegistry.Default, "test") { PartitionDigests = digests };
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        using var pool = new BufferPool();
        await ExtentDrain.DrainAsync(source, info, pool);

        byte[] partition = new byte[SwapLength];
        SwapHeader.Write(partition.AsSpan(0, SwapHeader.DefaultPageSize), SwapLength, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "s");
        string? digest = (string?)source.DescribeAfterRun()!["partitions"]![0]!["sha256"];
        Assert.Equal(digests ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(partition)) : null, digest);
    }

    [Fact]
    public async Task ReadAsync_ConcurrentWork_ItsDetailsJoinTheAfterRunDetails()
    {
        var work = new TaskCompletionSource<System.Text.Json.Nodes.JsonObject?>();
        await using var source = new DiskSource("disk", DiskSize, Pieces(zeros: false), ImageFormatRegistry.Default, "test") { ConcurrentWork = work.Task };
        SourceInfo info = await source.OpenAsync(CancellationToken.None);
        using var pool = new BufferPool();

        Task drain = ExtentDrain.DrainAsync(source, info, pool);
        await Task.Delay(100);
        Assert.False(drain.IsCompleted);
        work.SetResult(new System.Text.Json.Nodes.JsonObject { ["manifests"] = "checked" });
        await drain;

        Assert.Equal("checked", (string?)source.DescribeAfterRun()!["manifests"]);
    }
}
