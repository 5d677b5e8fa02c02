using System.Diagnostics;
using System.Text.RegularExpressions;
using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests;

/// <summary>README's first session, run word for word (only the port differs) against a real development server.</summary>
public sealed partial class ReadmeSessionTests
{
    [Fact]
    public async Task The_readme_session_works_verbatim()
    {
        var session = ReadSession();
        // A development server with no keys configured, as a newcomer would run it: it generates data/admin.key.
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [KnownVariables.AdminApiKey] = null,
            [KnownVariables.SigningKey] = null,
        });
        var script = session.Replace("localhost:5080", $"127.0.0.1:{service.BaseAddress.Port}");
        script.ShouldNotContain("localhost:5080");

        var (exitCode, output, errors) = await RunBashAsync(script, service.Root);

        exitCode.ShouldBe(0, errors);
        output.ShouldContain("\"id\":\"acme\"");
        output.ShouldContain("\"tags\":[\"demo\"]");
        output.TrimEnd().ShouldEndWith("hello, storage");
    }

    private static string ReadSession()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "StorageApi.slnx"))) root = Path.GetDirectoryName(root)!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        return SessionBlock().Match(readme) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("README.md has no readme-session block");
    }

    private static async Task<(int, string, string)> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Prerequisites.RequireOnPath("curl"); // the session calls it from bash, where a missing one is only "command not found"
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    [GeneratedRegex("<!-- readme-session:start -->\\s*```bash\\n(.*?)```\\s*<!-- readme-session:end -->", RegexOptions.Singleline)]
    private static partial Regex SessionBlock();
}
