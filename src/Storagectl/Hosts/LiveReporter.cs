using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Storagectl.Hosts;

/// <summary>
/// Progress for people at a terminal: one live row per tenant and host (the step it is on, how many it finished,
/// how long it has taken) above the last events, redrawn as the steps of all hosts advance side by side.
/// </summary>
public sealed class LiveReporter : IDeployReporter
{
    private const int EventsShown = 8;
    private readonly Lock _gate = new();
    private readonly Table _table = new Table().Border(TableBorder.Rounded).AddColumns("target", "step", "done", "time");
    private readonly Dictionary<string, (int Row, int Done, Stopwatch Clock)> _rows = [];
    private readonly List<string> _events = [];
    private LiveDisplayContext? _display;

    /// <summary>Runs <paramref name="work"/> while the display is live; what is on screen at the end stays there.</summary>
    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Live(new Rows(_table)).AutoClear(false).StartAsync(async display =>
        {
            lock (_gate) _display = display;
            result = await work();
            lock (_gate)
            {
                display.UpdateTarget(_table); // the events follow in full below, not twice
                display.Refresh();
                _display = null;
            }
        });
        lock (_gate) foreach (var line in _events) AnsiConsole.MarkupLine(line);
        return result;
    }

    public void Started(string target, string step) => Update(target, $"[yellow]…[/] {Markup.Escape(step)}", finished: false);

    public void Succeeded(string target, string step, TimeSpan took) => Update(target, $"[green]✓[/] {Markup.Escape(step)}", finished: true);

    public void Failed(string target, string step, string reason)
    {
        Update(target, $"[red]✗ {Markup.Escape(step)}[/]", finished: false);
        Event($"[red]{Markup.Escape(target)}: {Markup.Escape(step)}: {Markup.Escape(reason)}[/]");
    }

    public void Waiting(string target, string step, string status) => Update(target, $"[yellow]…[/] {Markup.Escape(status)}", finished: false);

    public void Info(string message)
    {
        if (message.Length > 0) Event($"[bold]{Markup.Escape(message)}[/]");
    }

    private void Update(string target, string step, bool finished)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(target, out var row))
            {
                _table.AddRow(Markup.Escape(target), "", "0", "");
                row = (_table.Rows.Count - 1, 0, Stopwatch.StartNew());
            }
            row.Done += finished ? 1 : 0;
            _rows[target] = row;
            _table.UpdateCell(row.Row, 1, step);
            _table.UpdateCell(row.Row, 2, row.Done.ToString());
            _table.UpdateCell(row.Row, 3, $"{row.Clock.Elapsed.TotalSeconds:0}s");
        }
        Redraw();
    }

    private void Event(string markup)
    {
        lock (_gate)
        {
            _events.Add(markup);
            if (_display is not null) _display.UpdateTarget(View());
        }
        Redraw();
    }

    /// <summary>The table and, under it, the newest events (all of them are printed once the display ends).</summary>
    private IRenderable View() => new Rows([_table, .. _events.TakeLast(EventsShown).Select(e => new Markup(e))]);

    private void Redraw()
    {
        lock (_gate) _display?.Refresh();
    }
}
