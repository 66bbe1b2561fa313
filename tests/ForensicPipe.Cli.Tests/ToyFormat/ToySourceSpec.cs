using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Cli.Tests.ToyFormat;

/// <summary>A toy image in a job file.</summary>
[Description("A toy image (tests only).")]
public sealed class ToySourceSpec : SourceSpec;
