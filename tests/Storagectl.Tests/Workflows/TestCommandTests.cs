namespace Storagectl.Tests.Workflows;

/// <summary>README's test command on a machine that lacks what the tests need: it names the packages and stops.</summary>
public sealed class TestCommandTests
{
    [Fact]
    public async Task Without_apt_or_sudo_it_names_each_missing_package_and_runs_no_test()
    {
        using var sandbox = new ScriptSandbox();
        // A PATH with the shell tools and dotnet, but no ssh, nginx, sqlite3, curl, git, pg_dump, chromium, apt-get or sudo.
        var bin = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "bin")).FullName;
        foreach (var tool in new[] { "bash", "dotnet", "id", "cut", "sort", "mktemp", "grep", "awk", "tee", "rm", "dirname", "env" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));

        var result = await sandbox.RunAsync($"bash {RepositoryFiles.PathOf("test.sh")}", new Dictionary<string, string> { ["PATH"] = bin });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe("test.sh: missing Debian packages: chromium chromium-driver curl git nginx npm openssh-client postgresql-client sqlite3; " +
                                      "install them (sudo apt-get install -y chromium chromium-driver curl git nginx npm openssh-client postgresql-client sqlite3) and run again");
        result.Output.ShouldNotContain("passed");
    }

    [Fact]
    public async Task Without_the_dotnet_sdk_it_says_so()
    {
        using var sandbox = new ScriptSandbox();
        var bin = Directory.CreateDirectory(Path.Combine(sandbox.Folder, "bin")).FullName;
        foreach (var tool in new[] { "bash", "id", "cut" }) File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));

        var result = await sandbox.RunAsync($"bash {RepositoryFiles.PathOf("test.sh")}", new Dictionary<string, string> { ["PATH"] = bin });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.ShouldContain("the .NET 10 SDK is needed");
    }

    [Fact]
    public void Every_row_of_the_prerequisites_names_a_program_a_debian_package_and_why()
    {
        var rows = File.ReadAllLines(RepositoryFiles.PathOf("tests", "prerequisites.tsv")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        rows.ShouldNotBeEmpty();
        foreach (var columns in rows.Select(row => row.Split('\t')))
        {
            columns.Length.ShouldBe(3, string.Join(" | ", columns));
            columns[1].ShouldMatch("^[a-z0-9][a-z0-9+.-]+$");
            columns[2].ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void A_missing_program_fails_naming_its_package()
    {
        var error = Should.Throw<InvalidOperationException>(() =>
            Prerequisites.Start(new System.Diagnostics.ProcessStartInfo("/nonexistent/nginx")));

        error.Message.ShouldBe("/nonexistent/nginx is not installed (end-to-end tests: each deploy target has a real nginx in front of the service): " +
                               "install the Debian package nginx, or run ./test.sh, which installs it");
    }

    private static string Which(string tool) =>
        new[] { "/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin" }.Select(folder => Path.Combine(folder, tool)).First(File.Exists);
}
