using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Ewf;

/// <summary>An Expert Witness (EWF-E01) evidence set: the first segment file, <c>NAME.E01</c>; the others are
/// found through the set's own <c>next</c> sections and by name (docs/formats/e01.md).</summary>
[Description("An Expert Witness / EnCase (EWF-E01) evidence set: the first segment file NAME.E01; NAME.E02, ... are found by name. Every chunk's checksum is checked as it is read; a verify stage also checks the stored MD5 and SHA-1.")]
public sealed class E01SourceSpec : SourceSpec;
