using System.Text.RegularExpressions;

namespace ForensicPipe.Cli.Tests.Ux;

/// <summary>
/// The README's "Commands" section and each command's <c>--help</c> list the same options, both ways. The
/// section's shape (documented in it): table rows that start with <c>| `fpipe VERB</c>, whose first cell lists
/// every option of that form, and lines that start with <c>Options of</c>, for every command or, when they name
/// commands in parentheses, for those.
/// </summary>
public partial class ReadmeCommandsTests
{
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ForensicPipe.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("ForensicPipe.sln not found");
    }

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex LongOption();

    [GeneratedRegex(@"^\| `fpipe ([a-z]+)([^`]*)`")]
    private static partial Regex Row();

    [GeneratedRegex(@"^\s+(?:-\S+, )*(--[a-z][a-z-]*)")]
    private static partial Regex HelpOption();

    [GeneratedRegex(@"^\s{2}([a-z]+)\b")]
    private static partial Regex HelpCommand();

    /// <summary>Options by verb as the README's Commands section lists them.</summary>
    private static Dictionary<string, SortedSet<string>> ReadmeOptions()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int start = readme.IndexOf("\n## Commands\n", StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README has no Commands section");
        string[] lines = readme[start..end].Split('\n');
        var options = new Dictionary<string, SortedSet<string>>();
        foreach (string line in lines)
        {
            if (Row().Match(line) is { Success: true } row)
            {
                SortedSet<string> verb = options.TryGetValue(row.Groups[1].Value, out SortedSet<string>? known) ? known : options[row.Groups[1].Value] = [];
                verb.UnionWith(LongOption().Matches(row.Groups[2].Value).Select(match => match.Value));
            }
        }
        // "Options of …" paragraphs may wrap: join each with the lines that follow it up to a blank line.
        string section = readme[start..end];
        foreach (Match paragraph in Regex.Matches(section, @"^Options of (.*?)(?:\n\n|\z)", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            string text = paragraph.Groups[1].Value;
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            string scope = text[..colon];
            string[] verbs = scope.Contains('(', StringComparison.Ordinal)
                ? [.. Regex.Matches(scope, @"`([a-z]+)`").Select(match => match.Groups[1].Value)]
                : [.. options.Keys];
            foreach (string verb in verbs)
            {
                Assert.True(options.ContainsKey(verb), $"'Options of' names {verb}, which has no row");
                options[verb].UnionWith(LongOption().Matches(text[colon..]).Select(match => match.Value));
            }
        }
        return options;
    }

    private static SortedSet<string> HelpOptions(string verb)
    {
        FpipeProcess.Outcome help = FpipeProcess.Run("/", verb, "--help");
        Assert.Equal(0, help.ExitCode);
        string options = help.Stdout[help.Stdout.IndexOf("Options:", StringComparison.Ordinal)..];
        return [.. options.Split('\n').Select(line => HelpOption().Match(line)).Where(match => match.Success).Select(match => match.Groups[1].Value)];
    }

    private static SortedSet<string> HelpCommands()
    {
        string help = FpipeProcess.Run("/", "--help").Stdout;
        string commands = help[help.IndexOf("Commands:", StringComparison.Ordinal)..];
        return [.. commands.Split('\n').Skip(1).Select(line => HelpCommand().Match(line)).Where(match => match.Success).Select(match => match.Groups[1].Value)];
    }

    [Fact]
    public void Readme_CommandsSection_NamesEveryCommandOfHelp()
    {
        Assert.Equal(HelpCommands(), new SortedSet<string>(ReadmeOptions().Keys));
    }

    [Fact]
    public void Readme_EachCommandsOptions_EqualItsHelpBothWays()
    {
        Dictionary<string, SortedSet<string>> readme = ReadmeOptions();
        var differences = new List<string>();
        foreach ((string verb, SortedSet<string> documented) in readme)
        {
            SortedSet<string> help = HelpOptions(verb);
            string[] missing = [.. help.Except(documented)];
            string[] extra = [.. documented.Except(help)];
            if (missing.Length > 0)
            {
                differences.Add($"{verb}: in --help, not in the README: {string.Join(' ', missing)}");
            }
            if (extra.Length > 0)
            {
                differences.Add($"{verb}: in the README, not in --help: {string.Join(' ', extra)}");
            }
        }
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }
}
