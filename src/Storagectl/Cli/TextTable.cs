using Spectre.Console;

namespace Storagectl.Cli;

/// <summary>Rows for people: a Spectre table at a terminal, aligned plain columns in logs and pipes.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(bool plain)
    {
        if (plain)
        {
            var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
            Console.WriteLine(Line(headers));
            foreach (var row in _rows) Console.WriteLine(Line(row));
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers) table.AddColumn(Markup.Escape(header));
        foreach (var row in _rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }
}
