using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Storagectl.Configuration;

namespace Storagectl.Cli;

/// <summary>
/// A command line storagectl cannot understand: one line that names what is wrong (with the closest verb or option when
/// it looks like a typo) and where to read more, on stderr, exit code 2. The full help only comes with --help, so a
/// mistake in a CI log reads as one line, not a page.
/// </summary>
public static class UsageError
{
    public const int ExitCode = 2;

    /// <summary>Runs the parsed command line, or reports why it cannot be run.</summary>
    public static async Task<int> InvokeAsync(ParseResult parse)
    {
        // --help wins over errors (it is what someone asks for after one); only a real parse error is reported here.
        if (parse.Action is not ParseErrorAction) return await parse.InvokeAsync();
        Console.Error.WriteLine($"error: {Describe(parse)}; see `{PathOf(parse.CommandResult.Command)} --help`");
        return ExitCode;
    }

    /// <summary>The one line: an unknown word first (the likeliest root of the other errors), else the parser's first complaint.</summary>
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        // An unknown option may have been taken as a positional value ("plan --artefact x" binds it as the environment).
        var unknownOption = parse.Tokens.FirstOrDefault(t => t.Type == TokenType.Argument && LooksLikeOption(t.Value))?.Value;
        if ((unknownOption ?? parse.UnmatchedTokens.FirstOrDefault()) is { } unknown)
        {
            if (unknown.StartsWith('-'))
                return $"{PathOf(command)} has no option {unknown}" + Suggest(unknown, command.Options.Concat(Recursive(command)).SelectMany(o => o.Aliases.Prepend(o.Name)));
            if (command.Subcommands.Count > 0)
                return $"{PathOf(command)} has no verb '{unknown}'" + Suggest(unknown, command.Subcommands.Select(c => c.Name));
            return $"{PathOf(command)}: unexpected argument '{unknown}'";
        }
        if (command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 }) is { } missing)
            return $"{PathOf(command)} needs <{missing.Name}>";
        var first = parse.Errors[0].Message.TrimEnd('.');
        return command.Subcommands.Count > 0 && command.Action is null
            ? $"{PathOf(command)} needs one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}"
            : first;
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && (char.IsLetter(token[1]) || token[1] == '-');

    private static string Suggest(string word, IEnumerable<string> candidates) =>
        ConfigNames.Closest(word, candidates.Distinct()) is { } closest ? $" (did you mean {closest}?)" : "";

    /// <summary>Options such as --config and --plain that every verb inherits from the root.</summary>
    private static IEnumerable<Option> Recursive(Command command) =>
        command.Parents.OfType<Command>().SelectMany(p => p.Options.Concat(Recursive(p))).Where(o => o.Recursive);

    /// <summary>"storagectl lock status": the verb as it is typed.</summary>
    private static string PathOf(Command command) =>
        command is RootCommand ? "storagectl" : $"{(command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? PathOf(parent) : "storagectl")} {command.Name}";
}
