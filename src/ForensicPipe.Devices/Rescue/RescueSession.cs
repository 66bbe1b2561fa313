using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForensicPipe.Devices.Rescue;

/// <summary>
/// One run of an acquisition, kept as a comment line of the mapfile (<c># fpipe-session: {…}</c>) so that the
/// report of the run that completes it lists every run before it. A session whose last record says
/// <c>running</c> was interrupted (killed, or the machine stopped) after that record.
/// </summary>
/// <param name="Number">1 for the first run.</param>
/// <param name="StartUtc">When it started (ISO 8601, UTC).</param>
/// <param name="EndUtc">When it ended, or the time of its last record while running.</param>
/// <param name="BytesRead">Bytes it read from the source (not those re-read from the output).</param>
/// <param name="ResumedFrom">Bytes finished by earlier runs when it started (0 for the first).</param>
/// <param name="Outcome"><c>running</c>, <c>read to the end</c>, or where it stopped.</param>
public sealed record RescueSession(int Number, string StartUtc, string EndUtc, long BytesRead, long ResumedFrom, string Outcome)
{
    /// <summary>Start of a session comment (after <c>#</c> and a space).</summary>
    public const string Prefix = "fpipe-session: ";

    /// <summary>Outcome while the run is going on.</summary>
    public const string Running = "running";

    /// <summary>The comment line.</summary>
    public string ToComment() => Prefix + ToJson().ToJsonString();

    /// <summary>For the report; a session read back as <see cref="Running"/> is reported as interrupted.</summary>
    public JsonObject ToJson() => new()
    {
        ["session"] = Number,
        ["startUtc"] = StartUtc,
        ["endUtc"] = EndUtc,
        ["bytesRead"] = BytesRead,
        ["resumedFrom"] = ResumedFrom,
        ["outcome"] = Outcome,
    };

    /// <summary>The sessions recorded in <paramref name="comments"/>, in order; unreadable ones are skipped.</summary>
    public static IReadOnlyList<RescueSession> FromComments(IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        var sessions = new List<RescueSession>();
        foreach (string comment in comments.Where(c => c.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            try
            {
                if (JsonNode.Parse(comment[Prefix.Length..]) is JsonObject json)
                {
                    sessions.Add(new RescueSession(Get<int>(json, "session"), Get<string>(json, "startUtc"), Get<string>(json, "endUtc"),
                        Get<long>(json, "bytesRead"), Get<long>(json, "resumedFrom"), Get<string>(json, "outcome")));
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
            {
                // A damaged session line costs its history line, not the resume.
            }
        }
        return sessions;
    }

    private static T Get<T>(JsonObject json, string key) =>
        json[key] is JsonNode node ? node.GetValue<T>() : throw new FormatException($"no {key}");
}
