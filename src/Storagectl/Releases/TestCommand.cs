using System.Diagnostics;
using Storagectl.Releases;

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
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new ReleaseException("could not start bash for the test command");
        // Both streams arrive on their own threads; one lock keeps their lines whole.
        var gate = new Lock();
        void Forward(object _, DataReceivedEventArgs line)
        {
            if (line.Data is null) return;
            lock (gate) log.WriteLine(line.Data);
        }
        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new ReleaseException($"the test command failed (exit code {process.ExitCode}): {command}; nothing was released");
    }
}
