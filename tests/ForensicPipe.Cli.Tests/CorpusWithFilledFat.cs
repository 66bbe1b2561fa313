namespace ForensicPipe.Cli.Tests;

/// <summary>Corpus B (tests/fixtures/mkcorpus.sh) plus <c>fat.pc</c>: a FAT32 holding corpus B's <c>src/</c> tree,
/// imaged by partclone.fat, for the restore and mount tests that compare files.</summary>
internal static class CorpusWithFilledFat
{
    public static async Task MakeAsync(string folder, string fatLabel)
    {
        await FixtureScripts.MakeCorpusAsync(folder).ConfigureAwait(false);
        await FileSystemImages.MakeCorpusFatAsync(Path.Combine(folder, "fat.raw"), Path.Combine(folder, "src"), fatLabel).ConfigureAwait(false);
        await PartcloneTool.CloneAsync("fat", Path.Combine(folder, "fat.raw"), Path.Combine(folder, "fat.pc")).ConfigureAwait(false);
    }
}
