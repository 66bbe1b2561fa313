using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Partclone;

/// <summary>A partclone image (format 0001 or 0002), read sequentially; works from a pipe.</summary>
[Description("A partclone image (format 0001 or 0002), read sequentially; - reads standard input.")]
public sealed class PartcloneSourceSpec : SourceSpec;
