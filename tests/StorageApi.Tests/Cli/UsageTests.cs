using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>A command the binary does not understand is a usage error: exit 2, one error line, the usage, and nothing done.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class UsageTests(PublishedService published)
{
    [Fact]
    public async Task An_unknown_verb_is_named_in_one_error_line_followed_by_the_usage()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "deploy");

        result.ExitCode.ShouldBe(2);
        result.Output.ShouldBeEmpty();
        var lines = result.Errors.Split('\n');
        lines[0].ShouldBe("error: unknown command 'deploy'");
        lines[1].ShouldStartWith("usage: storage-api");
    }

    [Theory]
    [InlineData("--versoin")]
    [InlineData("--version now")]
    [InlineData("--urls http://0.0.0.0:80")]
    public async Task A_misspelt_or_extra_option_never_starts_the_server(string command)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, command.Split(' '));

        result.ExitCode.ShouldBe(2);
        result.Errors.ShouldStartWith($"error: unknown command '{command.Split(' ')[0]}'");
        result.Output.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("keys")]
    [InlineData("keys create")]
    [InlineData("keys list")]
    [InlineData("keys revoke acme")]
    [InlineData("tenants")]
    [InlineData("tenants create")]
    [InlineData("tenants create acme --name")]
    [InlineData("tenants create acme --title Acme")]
    [InlineData("migrate --all")]
    [InlineData("check-config now")]
    [InlineData("backup-now now")]
    [InlineData("backups")]
    [InlineData("backups delete")]
    [InlineData("restore-from")]
    [InlineData("restore-from /mnt/backup --at yesterday")]
    public async Task A_missing_or_extra_argument_is_a_usage_error(string command)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, command.Split(' '));

        result.ExitCode.ShouldBe(2, result.Errors);
        result.Output.ShouldBeEmpty();
        result.Errors.Split('\n')[0].ShouldBe($"error: cannot understand '{command}'");
    }

    [Fact]
    public async Task A_usage_error_is_reported_as_such_even_when_the_configuration_is_bad()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(("ADMIN_API_KEY", null)), "backup");

        result.ExitCode.ShouldBe(2, result.Errors);
        result.Errors.Split('\n')[0].ShouldBe("error: cannot understand 'backup'");
    }

    [Fact]
    public async Task A_usage_error_in_development_writes_nothing()
    {
        using var folder = new TempFolder();

        var result = await published.RunAsync(folder.Path, new Dictionary<string, string?>(), "keys", "create");

        result.ExitCode.ShouldBe(2, result.Errors);
        Directory.EnumerateFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_usage_on_stdout_and_succeeds(string flag)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(("SIGNING_KEY", null)), flag);

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Output.ShouldStartWith("usage: storage-api");
        result.Output.ShouldContain("storage-api keys revoke <tenant> <key-id>");
        result.Errors.ShouldBeEmpty();
    }
}
