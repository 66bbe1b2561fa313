using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe info IMAGE [--json]</c>: every header field and what the reader learns before the data
/// (bitmap counts, checksum layout, volumes, the record scan), without reading the data.</summary>
internal static class InfoCommand
{
    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE") { Description = "A partclone, partimage, ntfsclone or E01 image, compressed or split (or - for standard input), or a Clonezilla image folder." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("info", "Show an image's header fields, bitmap counts and checksum layout.") { image, json };
        Clonezilla.ClonezillaVerbs.AddOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(image)!;
            if (Formats.Clonezilla.ClonezillaFolder.LooksLikeFolder(path))
            {
                return await Clonezilla.ClonezillaVerbs.InfoAsync(services, parse, path);
            }
            CommandPaths.RequireInput(path, "IMAGE");
            await using IExtentSource reader = services.Formats.Open(path).OpenSource();
            SourceInfo info = Core.Reporting.SizeClaim.WithWarning(await reader.OpenAsync(cancellationToken));
            var details = new JsonObject
            {
                ["path"] = info.Path,
                ["format"] = info.Format,
                ["partitionSize"] = info.Size,
            };
            foreach ((string key, JsonNode? value) in info.Details ?? [])
            {
                details[key] = value?.DeepClone();
            }
            if (info.Warnings.Count > 0)
            {
                details["warnings"] = new JsonArray([.. info.Warnings.Select(warning => (JsonNode?)warning)]);
            }
            foreach (string warning in info.Warnings)
            {
                Console.Error.WriteLine($"fpipe: warning: {warning}");
            }
            Console.Out.Write(parse.GetValue(json)
                ? details.ToJsonString(ReadableJson.Options) + "\n"
                : ReportTextRenderer.RenderObject(details));
            return ExitCodes.Ok;
        });
        return command;
    }
}
