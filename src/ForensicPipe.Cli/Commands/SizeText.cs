using System.CommandLine.Parsing;
using System.Globalization;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// Sizes on the command line: a number of bytes with an optional suffix, as dd, dc3dd and dcfldd read them:
/// <c>K</c>, <c>KiB</c> = 1024, <c>KB</c> = 1000, and so on for M, G, T, P, E (upper or lower case; a bare
/// <c>B</c> is bytes). docs/cli.md, "Sizes".
/// </summary>
internal static class SizeText
{
    /// <summary>What a size may look like, for messages.</summary>
    public const string Forms = "bytes, or a number with K, M, G, T (×1024, also KiB, MiB, …) or KB, MB, GB, TB (×1000)";

    private const string Prefixes = "KMGTPE";

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> set when it is not a size.</summary>
    public static long? TryParse(string text, out string? error)
    {
        error = null;
        string trimmed = text.Trim();
        int digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }
        if (digits == 0 || !long.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            error = $"'{text}' is not a size ({Forms})";
            return null;
        }
        string suffix = trimmed[digits..];
        long multiplier;
        if (suffix.Length == 0 || suffix is "B" or "b")
        {
            multiplier = 1;
        }
        else
        {
            int power = Prefixes.IndexOf(char.ToUpperInvariant(suffix[0]), StringComparison.Ordinal) + 1;
            string rest = suffix[1..];
            long unit = rest switch
            {
                "" or "iB" or "ib" or "IB" => 1024,
                "B" or "b" => 1000,
                _ => 0,
            };
            if (power == 0 || unit == 0)
            {
                error = $"'{text}' has an unknown unit '{suffix}' ({Forms})";
                return null;
            }
            multiplier = 1;
            for (int i = 0; i < power; i++)
            {
                multiplier *= unit;
            }
        }
        if (number > long.MaxValue / multiplier)
        {
            error = $"'{text}' is too large";
            return null;
        }
        return number * multiplier;
    }

    /// <summary>A System.CommandLine parser for a size option that names <paramref name="flag"/> in its error.</summary>
    public static long? Parse(ArgumentResult result, string flag)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        long? size = TryParse(text, out string? error);
        if (size is null)
        {
            result.AddError($"{flag}: {error}");
        }
        return size;
    }

    /// <summary>A parser for a whole count (no unit), naming <paramref name="flag"/> in its error.</summary>
    public static long? ParseCount(ArgumentResult result, string flag)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
        {
            return count;
        }
        result.AddError($"{flag}: '{text}' is not a whole number");
        return null;
    }

    /// <summary>A parser that accepts one of <paramref name="choices"/> (any case), naming the flag and every choice.</summary>
    public static string? ParseChoice(ArgumentResult result, string flag, params string[] choices)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        string? match = choices.FirstOrDefault(choice => string.Equals(choice, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            result.AddError($"{flag}: '{text}' is not {Alternatives(choices)}");
        }
        return match;
    }

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(IReadOnlyList<string> choices) =>
        choices.Count == 1 ? choices[0] : $"{string.Join(", ", choices.Take(choices.Count - 1))} or {choices[^1]}";
}
