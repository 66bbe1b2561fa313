using ForensicPipe.Core.Verification;
using ForensicPipe.Formats.Ewf;
using ForensicPipe.Formats.Tests.TestSupport;

namespace ForensicPipe.Formats.Tests.Ewf;

/// <summary>The committed ewfacquire sets of tests/fixtures/ewf (mkewf.sh): read to the recorded source digest,
/// every chunk and the stored MD5/SHA-1 verified, equal to ewfexport's output.</summary>
public sealed class EwfFixtureTests
{
    private static string Folder => Path.Combine(RepositoryRoot.Fixtures, "ewf");

    [Theory]
    [InlineData("fast.E01", 1)]
    [InlineData("best16.E01", 1)]
    [InlineData("none128.E01", 2)]
    public async Task EwfReader_EwfacquireFixture_ReadsTheRecordedSourceAndVerifies(string name, int segments)
    {
        string expected = File.ReadAllText(Path.Combine(Folder, "source.sha256")).Split(' ')[0];
        (byte[] media, VerificationLog log, Core.Pipeline.SourceInfo info) = await EwfTestSupport.ReadAsync(Path.Combine(Folder, name));

        Assert.Equal(expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(media)));
        Assert.Equal(0, log.MismatchCount);
        Assert.True(log.Checked > 2);
        Assert.Equal(segments, info.Details!["segments"]!.AsArray().Count);
        Assert.Equal("Fixture Examiner", info.Details!["case"]!["examiner"]!.GetValue<string>());
        using var folder = new TempDirectory();
        Assert.Equal(media, await EwfTestSupport.ExportAsync(Path.Combine(Folder, name), folder.Path));
    }
}
