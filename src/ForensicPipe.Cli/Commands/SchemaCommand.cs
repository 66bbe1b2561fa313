using System.CommandLine;
using ForensicPipe.Core.Jobs;

namespace ForensicPipe.Cli.Commands;

/// <summary><c>fpipe schema</c>: prints the JSON Schema of job files.</summary>
internal static class SchemaCommand
{
    public static Command Create(FpipeServices services)
    {
        var command = new Command("schema", "Print the JSON Schema of job files.");
        command.SetAction(_ =>
        {
            Console.Out.Write(JobSchema.Generate(services.JobComponents));
            return ExitCodes.Ok;
        });
        return command;
    }
}
