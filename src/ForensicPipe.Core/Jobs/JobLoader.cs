using System.Text.Json;
using System.Text.RegularExpressions;
using ForensicPipe.Core.Errors;
using System.Text.Json.Serialization.Metadata;
using ForensicPipe.Core.Jobs.Specs;
using ForensicPipe.Core.Stages.Verify;

namespace ForensicPipe.Core.Jobs;

/// <summary>
/// Reads and validates job files. Every problem becomes a <see cref="JobValidationException"/> naming the
/// file and the JSON path, in one line; nothing runs before a job has passed.
/// </summary>
public static partial class JobLoader
{
    /// <summary>Job files larger than this are refused before parsing (a job is a few hundred bytes).</summary>
    public const int MaxJobFileBytes = 1 << 20;

    /// <summary>Reads, parses and validates <paramref name="path"/>, knowing only the built-in sources.</summary>
    public static JobSpec Load(string path) => Load(path, null);

    /// <summary>Reads, parses and validates <paramref name="path"/>; source types are those of
    /// <paramref name="components"/> (null: the built-in ones).</summary>
    public static JobSpec Load(string path, JobComponents? components)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string name = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new JobValidationException(path, "$", "the job file does not exist");
            }
            if (info.Length > MaxJobFileBytes)
            {
                throw new JobValidationException(name, "$", $"the job file is {info.Length} bytes; at most {MaxJobFileBytes} are accepted");
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new JobValidationException(path, "$", $"cannot read the job file: {exception.Message}", exception);
        }
        return Parse(bytes, name, components);
    }

    /// <summary>Parses and validates a job held in memory; <paramref name="fileName"/> names it in errors.</summary>
    public static JobSpec Parse(ReadOnlySpan<byte> json, string fileName) => Parse(json, fileName, null);

    /// <summary>Parses and validates a job held in memory with the source types of <paramref name="components"/>
    /// (null: the built-in ones); <paramref name="fileName"/> names it in errors.</summary>
    public static JobSpec Parse(ReadOnlySpan<byte> json, string fileName, JobComponents? components)
    {
        JobSpec? job;
        try
        {
            job = JsonSerializer.Deserialize(json, JobSpecInfo(components));
        }
        catch (JsonException exception)
        {
            throw new JobValidationException(fileName, exception.Path ?? "$", Describe(exception), exception);
        }
        catch (NotSupportedException exception) when (exception.Message.Contains("type discriminator", StringComparison.Ordinal))
        {
            // An object of a polymorphic kind (source, stage, sink) without "type".
            Match path = PathInMessage().Match(exception.Message);
            throw new JobValidationException(fileName, path.Success ? path.Groups[1].Value : "$", "missing \"type\"", exception);
        }
        if (job is null)
        {
            throw new JobValidationException(fileName, "$", "the job is null; expected an object");
        }
        JobValidator.Validate(job, fileName);
        return job;
    }

    /// <summary>Validates a job built in code (by a CLI verb); <paramref name="origin"/> names it in errors.</summary>
    public static void Validate(JobSpec job, string origin)
    {
        ArgumentNullException.ThrowIfNull(job);
        JobValidator.Validate(job, origin);
    }

    /// <summary>Writes a job back as JSON (for the report: the job as run).</summary>
    public static System.Text.Json.Nodes.JsonNode ToJson(JobSpec job, JobComponents? components = null) =>
        JsonSerializer.SerializeToNode(job, JobSpecInfo(components))!;

    private static JsonTypeInfo<JobSpec> JobSpecInfo(JobComponents? components) => components is null
        ? JobJsonContext.Default.JobSpec
        : (JsonTypeInfo<JobSpec>)components.JsonOptions.GetTypeInfo(typeof(JobSpec));

    /// <summary>Turns System.Text.Json's messages into one short clause without .NET type names.</summary>
    private static string Describe(JsonException exception)
    {
        string message = exception.Message;
        Match match;
        if ((match = UnmappedMember().Match(message)).Success)
        {
            return $"unknown field '{match.Groups[1].Value}'";
        }
        if ((match = MissingRequired().Match(message)).Success)
        {
            return $"missing required field(s) {match.Groups[1].Value}";
        }
        if ((match = UnknownDiscriminator().Match(message)).Success)
        {
            return $"unknown type '{match.Groups[1].Value}'";
        }
        if (message.Contains("abstract types is not supported", StringComparison.Ordinal)
            || message.Contains("must specify a type discriminator", StringComparison.Ordinal))
        {
            return "missing \"type\"";
        }
        if ((match = ConvertTo().Match(message)).Success)
        {
            return $"expected {JsonTypeName(PropertyTypeAt(match.Groups[1].Value, exception.Path))}";
        }
        if (exception.InnerException is not null || exception.LineNumber is not null)
        {
            string reason = LineInfo().Replace(message, "").Trim().TrimEnd('.');
            return $"malformed JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}: {reason}";
        }
        return LineInfo().Replace(message, "").Trim();
    }

    /// <summary>System.Text.Json names the object that holds a bad value, not the value's own type; find
    /// the property at the end of <paramref name="jsonPath"/> in that object's contract.</summary>
    private static Type? PropertyTypeAt(string containingTypeName, string? jsonPath)
    {
        Type? containing = ContractTypeNamed(containingTypeName);
        string? last = jsonPath?.Split('.')[^1];
        if (containing is null || last is null)
        {
            return containing;
        }
        if (last.EndsWith(']'))
        {
            // An element of a list: the list's element type (strings, in every list of scalars we have).
            return typeof(string);
        }
        JsonTypeInfo? info = JobJsonContext.Default.GetTypeInfo(containing);
        return info?.Properties.FirstOrDefault(property => property.Name == last)?.PropertyType ?? containing;
    }

    /// <summary>The type of the job contract (the source-generated metadata from <see cref="JobSpec"/> down,
    /// subtypes and lists included) named <paramref name="fullName"/>; found without reflection over the
    /// assembly, so it stays true under Native AOT and trimming.</summary>
    private static Type? ContractTypeNamed(string fullName)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(JobSpec)]);
        while (pending.TryPop(out Type? type))
        {
            if (!seen.Add(type))
            {
                continue;
            }
            // System.Text.Json writes the type with Type.ToString(): generic arguments without assembly names.
            if (type.FullName == fullName || type.ToString() == fullName)
            {
                return type;
            }
            if (JobJsonContext.Default.GetTypeInfo(type) is not JsonTypeInfo info)
            {
                continue;
            }
            foreach (JsonPropertyInfo property in info.Properties)
            {
                pending.Push(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            }
            if (info.ElementType is Type element)
            {
                pending.Push(element);
            }
            foreach (JsonDerivedType derived in info.PolymorphismOptions?.DerivedTypes ?? [])
            {
                pending.Push(derived.DerivedType);
            }
        }
        return null;
    }

    private static string JsonTypeName(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a different value",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "an integer",
            _ when type == typeof(Uri) => "a URI string",
            _ when type == typeof(MismatchPolicy) => "\"fail\" or \"record\"",
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"Path: (\S+) \|")]
    private static partial Regex PathInMessage();

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"missing required properties[^:]*: (.*?)\.?( Path:|$)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"type discriminator id '([^']*)'")]
    private static partial Regex UnknownDiscriminator();

    [GeneratedRegex(@"could not be converted to ([^\s.]+(?:\.[^\s.]+)*?)\.? Path")]
    private static partial Regex ConvertTo();

    [GeneratedRegex(@"\s*(Path: \S*)?\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex LineInfo();
}
