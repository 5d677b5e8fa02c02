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

        Prerequisites.RequireOnPath("curl"); // the session calls it from bash, where a missing one is only "command not found"
        var (exitCode, output, errors) = await TestProcess.RunAsync(new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { WorkingDirectory = service.Root },
            TimeSpan.FromSeconds(60));

        exitCode.ShouldBe(0, errors);
        output.ShouldContain("\"id\":\"acme\"");
        output.ShouldContain("\"tags\":[\"demo\"]");
        output.TrimEnd().ShouldEndWith("hello, storage");
    }

    private static string ReadSession()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        return SessionBlock().Match(readme) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("README.md has no readme-session block");
    }

    [GeneratedRegex("<!-- readme-session:start -->\\s*```bash\\n(.*?)```\\s*<!-- readme-session:end -->", RegexOptions.Singleline)]
    private static partial Regex SessionBlock();
}
