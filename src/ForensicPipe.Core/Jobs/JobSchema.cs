using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using ForensicPipe.Core.Reporting;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// The JSON Schema of job files, generated from the same contract the loader uses, with the
/// <see cref="DescriptionAttribute"/> texts. <c>samples/job.schema.json</c> is this output; a test keeps
/// the two equal.
/// </summary>
public static class JobSchema
{
    /// <summary>The schema as indented JSON text, with the source types of <paramref name="components"/>
    /// (null: the built-in ones).</summary>
    public static string Generate(JobComponents? components = null)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = static (context, schema) =>
            {
                ICustomAttributeProvider? member = context.PropertyInfo?.AttributeProvider ?? context.TypeInfo.Type;
                if (schema is JsonObject node && member?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false)
                        .OfType<DescriptionAttribute>().FirstOrDefault() is DescriptionAttribute description)
                {
                    node.Insert(0, "description", description.Description);
                }
                return schema;
            },
        };
        JsonNode schema = (components?.JsonOptions ?? JobJsonContext.Default.Options).GetJsonSchemaAsNode(typeof(Specs.JobSpec), exporterOptions);
        if (schema is JsonObject root)
        {
            root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
            root.Insert(1, "$id", "https://forensicpipe.invalid/job.schema.json");
            root.Insert(2, "title", "ForensicPipe job");
        }
        return schema.ToJsonString(ReadableJson.Options) + "\n";
    }
}
