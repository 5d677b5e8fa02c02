using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Storagectl.Cli;

namespace Storagectl.Tests.Workflows;

/// <summary>One call of storagectl in a shell script: its words after the program, e.g. ["deploy", "staging", "--plain"].</summary>
public sealed record StoragectlCall(string Line, IReadOnlyList<string> Words);

/// <summary>
/// Finds the storagectl calls in a workflow's `run:` scripts and checks them against the real command tree, so a
/// renamed verb or option breaks a test instead of a deploy.
/// </summary>
public static partial class StoragectlCalls
{
    public static IReadOnlyList<StoragectlCall> In(string script) =>
    [
        .. script.Replace("\\\n", " ").Split('\n')
            // Comments and messages may mention storagectl without calling it.
            .Where(line => !Mention().IsMatch(line))
            .Select(line => (line, match: Invocation().Match(line)))
            .Where(m => m.match.Success)
            .Select(m => new StoragectlCall(m.line.Trim(), Words(m.match.Groups["args"].Value))),
    ];

    /// <summary>What is wrong with a call: an unknown verb, an unknown option; empty when it is fine.</summary>
    public static IReadOnlyList<string> Problems(StoragectlCall call, RootCommand root)
    {
        Command command = root;
        var path = new List<Command> { root };
        var problems = new List<string>();
        var words = call.Words.ToList();
        // Verb and sub-verbs first (`lock status`), then only options are checked: the other words are arguments or values.
        while (words.Count > 0 && !words[0].StartsWith('-') && command.Subcommands.FirstOrDefault(c => c.Name == words[0]) is { } sub)
        {
            path.Add(command = sub);
            words.RemoveAt(0);
        }
        if (command == root)
            return [$"`{call.Line}`: no storagectl verb '{words.FirstOrDefault()}' (known: {string.Join(", ", root.Subcommands.Select(c => c.Name))})"];
        if (command.Subcommands.Count > 0 && command.Action is null)
            problems.Add($"`{call.Line}`: '{command.Name}' needs one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");

        var options = path.SelectMany(c => c.Options.Where(o => c == command || o.Recursive))
            .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet();
        foreach (var word in words.Where(w => w.StartsWith('-')))
        {
            var name = word.Split('=', 2)[0];
            if (!options.Contains(name)) problems.Add($"`{call.Line}`: {command.Name} has no option {name} (it has: {string.Join(", ", options.Order())})");
        }
        return problems;
    }

    /// <summary>
    /// Shell words, enough for CI scripts: quotes group, and an optional part `${VAR:+--tenant "$VAR"}` counts as present,
    /// so its option is checked too. Variables stay unexpanded; they only ever stand for values.
    /// </summary>
    public static IReadOnlyList<string> Words(string text)
    {
        text = OptionalPart().Replace(text, m => m.Groups["inner"].Value);
        text = text.Split(['|', ';', '&', '>'], 2)[0];
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else word.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else { word.Append(c); inWord = true; }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    // `storagectl …`, `dotnet run --project src/Storagectl [options] -- …`, `dotnet <path>/storagectl.dll …`
    [GeneratedRegex(@"(?:^|[\s;&|(])(?:dotnet\s+run\s+--project\s+\S*src/Storagectl\S*(?:\s+[^\s-]\S*|\s+-[^-\s]\S*|\s+--\S+)*?\s+--|dotnet\s+\S*storagectl\.dll|storagectl)(?:\s+(?<args>.*)|$)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"^\s*(?:#|echo\s|printf\s)")]
    private static partial Regex Mention();

    [GeneratedRegex(@"\$\{\w+:\+(?<inner>[^}]*)\}")]
    private static partial Regex OptionalPart();
}
