using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Formats.Input;
using ForensicPipe.Formats.Registry;

namespace ForensicPipe.Cli.Tests.ToyFormat;

/// <summary>
/// A format that exists only in this folder, to prove that a format is one folder plus one registration:
/// the magic <c>FPTOY001</c>, the data length (u64 little-endian), then the data in blocks of up to
/// <see cref="ToyImage.BlockSize"/> bytes, each followed by the sum of its bytes (u32 little-endian).
/// </summary>
internal sealed class ToyFormat : ImageFormat
{
    public static ToyFormat Instance { get; } = new();

    public override string Type => "toy";

    public override string Description => "toy image (tests only)";

    public override int HeaderSize => ToyImage.Magic.Length;

    public override Type SpecType => typeof(ToySourceSpec);

    public override IJsonTypeInfoResolver SpecResolver => ToySpecJson.Default;

    public override bool TryDetect(ReadOnlySpan<byte> head) => head.StartsWith(ToyImage.Magic);

    public override SourceSpec CreateSpec(string path) => new ToySourceSpec { Path = path };

    public override IExtentSource OpenSequential(SequentialImage image) => new ToyReader(image);
}
