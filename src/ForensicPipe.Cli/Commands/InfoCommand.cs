using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ForensicPipe.Core.Pipeline;
using ForensicPipe.Core.Reporting;
using ForensicPipe.Formats.Partclone;
using ForensicPipe.Formats.Partimage;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe info IMAGE [--json]</c>: every header field, bitmap counts and the checksum layout,
/// read from the header and bitmap only (the data is not read).</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "A partclone image or the first volume of a partimage image (or - for standard input)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("info", "Show an image's header, bitmap counts and checksum layout.") { image, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(image)!;
            if (Formats.Detection.ImageFormatDetector.Detect(path) == Formats.Detection.ImageFormatDetector.Partimage)
            {
                // partimage: every header field is in SourceInfo.Details (the data is not read).
                await using PartimageReader partimage = PartimageReader.Open(path);
                SourceInfo opened = await partimage.OpenAsync(cancellationToken);
                var fields = new JsonObject { ["path"] = opened.Path, ["format"] = opened.Format, ["partitionSize"] = opened.Size };
                foreach ((string key, JsonNode? value) in opened.Details!)
                {
                    fields[key] = value?.DeepClone();
                }
                Console.Out.Write(parse.GetValue(json) ? fields.ToJsonString(ReadableJson.Options) + "\n" : ReportTextRenderer.RenderObject(fields));
                return ExitCodes.Ok;
            }
            await using PartcloneReader reader = PartcloneReader.Open(path);
            SourceInfo info = await reader.OpenAsync(cancellationToken);
            var details = new JsonObject
            {
                ["path"] = info.Path,
                ["format"] = info.Format,
                ["partitionSize"] = info.Size,
            };
            foreach ((string key, JsonNode? value) in info.Details!)
            {
                details[key] = value?.DeepClone();
            }
            details["bitmapAbsentBlocks"] = reader.Header.TotalBlocks - reader.Bitmap.SetCount;
            Console.Out.Write(parse.GetValue(json)
                ? details.ToJsonString(ReadableJson.Options) + "\n"
                : ReportTextRenderer.RenderObject(details));
            return ExitCodes.Ok;
        });
        return command;
    }
}
