using Spectre.Console;

namespace Storagectl.Hosts;

/// <summary>Progress for people at a terminal: each host's steps as they finish, coloured by outcome.</summary>
public sealed class ConsoleReporter : IDeployReporter
{
    private readonly object _gate = new();

    public void Started(string target, string step) { }

    public void Succeeded(string target, string step, TimeSpan took) =>
        Write($"[grey]{Markup.Escape(target),-24}[/] [green]✓[/] {Markup.Escape(step)} [grey]({took.TotalSeconds:0.0}s)[/]");

    public void Failed(string target, string step, string reason) =>
        Write($"[grey]{Markup.Escape(target),-24}[/] [red]✗ {Markup.Escape(step)}[/]: {Markup.Escape(reason)}");

    public void Info(string message)
    {
        if (message.Length > 0) Write($"[bold]{Markup.Escape(message)}[/]");
    }

    private void Write(string markup)
    {
        lock (_gate) AnsiConsole.MarkupLine(markup);
    }
}
