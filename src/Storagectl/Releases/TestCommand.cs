using System.Diagnostics;
using Storagectl.Processes;

namespace Storagectl.Releases;

/// <summary>
/// The gate before a release: a shell command (by default README's <c>./test.sh</c>) run through bash in the repository root.
/// Its output goes to stderr, so stdout stays the release's own report.
/// </summary>
public static class TestCommand
{
    public const string Default = "./test.sh";

    public static async Task RequireGreenAsync(string command, string repository, TextWriter log, CancellationToken cancellationToken = default)
    {
        log.WriteLine($"running the tests: {command}");
        var exitCode = await ProcessRunner.RunEchoingAsync(new ProcessStartInfo("bash", ["-c", command]) { WorkingDirectory = repository }, log, cancellationToken);
        if (exitCode != 0)
            throw new ReleaseException($"the test command failed (exit code {exitCode}): {command}; nothing was released");
    }
}
