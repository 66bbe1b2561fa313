using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.Clonezilla;

namespace ForensicPipe.Formats.Tests.Clonezilla;

/// <summary>Defects the fuzz campaign found in the Clonezilla folder reader (docs/fuzzing.md, "Defects found").</summary>
public sealed class ClonezillaFolderFuzzRegressionTests
{
    [Fact]
    public void Open_DiskFileNameWithNul_ThrowsJobValidationNotArgumentException()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "disk"), "sda\0");

        var error = Assert.Throws<JobValidationException>(() => ClonezillaFolder.Open(folder.Path));

        Assert.Contains("not a device name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DiskFileNameWithSlash_IsRefusedBeforeReadingOutsideTheFolder()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "disk"), "../sda");

        var error = Assert.Throws<JobValidationException>(() => ClonezillaFolder.Open(folder.Path));

        Assert.Contains("not a device name", error.Message, StringComparison.Ordinal);
    }
}
