using System.ComponentModel;
using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// The programs the tests start, from <c>tests/prerequisites.tsv</c> (the list <c>./test.sh</c> installs from). A
/// missing one fails its test with the Debian package to install, never a bare "No such file or directory" or a skip.
/// </summary>
public static class Prerequisites
{
    private static readonly Lazy<IReadOnlyList<(string Program, string Package, string Why)>> Table = new(Load);

    /// <summary>Starts a process; when its program is missing, throws naming the package that provides it.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (Win32Exception error) when (error.NativeErrorCode == 2) // ENOENT: the program is not installed
        {
            throw Missing(start.FileName);
        }
    }

    /// <summary>The first existing path matching a program pattern of the table (e.g. PostgreSQL's versioned bin folder).</summary>
    public static string Path(string pattern)
    {
        var folder = System.IO.Path.GetDirectoryName(pattern)!;
        var found = ExpandFolders(folder).Select(f => System.IO.Path.Combine(f, System.IO.Path.GetFileName(pattern))).Where(File.Exists).Order().LastOrDefault();
        return found ?? throw Missing(pattern);
    }

    /// <summary>Fails naming the package when a program that a script will call is not on PATH.</summary>
    public static void RequireOnPath(string program)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (!folders.Any(folder => File.Exists(System.IO.Path.Combine(folder, program)))) throw Missing(program);
    }

    public static InvalidOperationException Missing(string program)
    {
        var name = System.IO.Path.GetFileName(program);
        var row = Table.Value.FirstOrDefault(r => r.Program == program || System.IO.Path.GetFileName(r.Program) == name);
        return row.Package is null
            ? new InvalidOperationException($"{program} is not installed, and tests/prerequisites.tsv does not name it: add it there")
            : new InvalidOperationException($"{program} is not installed ({row.Why}): install the Debian package {row.Package}, or run ./test.sh, which installs it");
    }

    private static IEnumerable<string> ExpandFolders(string folder)
    {
        var star = folder.IndexOf('*');
        if (star < 0) return Directory.Exists(folder) ? [folder] : [];
        var parent = folder[..folder.LastIndexOf('/', star)];
        var rest = folder[(folder.IndexOf('/', star) is var end and >= 0 ? end + 1 : folder.Length)..];
        if (!Directory.Exists(parent)) return [];
        return Directory.GetDirectories(parent).SelectMany(d => ExpandFolders(rest.Length == 0 ? d : System.IO.Path.Combine(d, rest)));
    }

    private static IReadOnlyList<(string, string, string)> Load()
    {
        return File.ReadLines(RepositoryRoot.Combine("tests", "prerequisites.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(columns => (columns[0], columns[1], columns[2]))
            .ToList();
    }
}
