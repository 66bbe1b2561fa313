using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Tests.TestSupport;

/// <summary>The property tests' check of a random-access reader against the model of the partition it describes.</summary>
internal static class ModelReads
{
    /// <summary>Asserts that <paramref name="image"/> is as long as <paramref name="model"/>, that each read of
    /// <c>Length</c> bytes at <c>At</c> × its length gives the model's bytes (fewer only at its end), and that a read
    /// at the end gives none.</summary>
    public static void AssertMatch(IRandomAccessImage image, byte[] model, IEnumerable<(double At, int Length)> reads)
    {
        Assert.Equal(model.LongLength, image.Length);
        foreach ((double at, int length) in reads)
        {
            long offset = (long)(at * model.LongLength);
            var read = new byte[length];
            int got = image.Read(offset, read);
            int expected = (int)Math.Min(length, model.LongLength - offset);
            Assert.Equal(expected, got);
            Assert.True(model.AsSpan((int)offset, expected).SequenceEqual(read.AsSpan(0, got)), $"bytes differ in [{offset}, {offset + expected})");
        }
        Assert.Equal(0, image.Read(model.LongLength, new byte[1]));
    }
}
