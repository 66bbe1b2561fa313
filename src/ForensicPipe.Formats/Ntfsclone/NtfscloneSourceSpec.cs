using System.ComponentModel;
using ForensicPipe.Core.Jobs.Specs;

namespace ForensicPipe.Formats.Ntfsclone;

/// <summary>An ntfsclone special image (<c>ntfsclone --save-image</c>), full or metadata-only.</summary>
[Description("An ntfsclone special image (ntfsclone --save-image), read forward; - reads standard input. A metadata image (--metadata) needs a seekable file.")]
public sealed class NtfscloneSourceSpec : SourceSpec;
