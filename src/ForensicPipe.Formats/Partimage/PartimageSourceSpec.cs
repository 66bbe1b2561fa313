using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Partimage;

/// <summary>A partimage 0.6.x image: the first volume file (<c>NAME.000</c>); the following volumes are found by
/// name. Each volume may be plain, gzip or bzip2. Read sequentially; <c>-</c> reads a single-volume image from
/// standard input.</summary>
[Description("A partimage 0.6.x image: the first volume file (NAME.000); NAME.001, ... are found by name; plain, gzip or bzip2 volumes; - reads a single-volume image from standard input.")]
public sealed class PartimageSourceSpec : SourceSpec;
