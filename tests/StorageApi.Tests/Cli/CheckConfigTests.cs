using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api check-config` and the server refuse a bad production configuration, naming every problem at once.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class CheckConfigTests(PublishedService published)
{
    [Fact]
    public async Task A_valid_production_configuration_passes_and_nothing_is_written()
    {
        using var production = new ProductionEnvironment();
        var before = production.Files();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "check-config");

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Output.ShouldContain("configuration is valid: environment=production");
        production.Files().ShouldBe(before);
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once_and_the_exit_code_is_1()
    {
        using var production = new ProductionEnvironment();
        var broken = production.With(
            ("ADMIN_API_KEY", null),
            ("SIGNING_KEY", "changeme"),
            ("STORAGE_DATA_DIR", "data"),
            ("STORAGE_DATA_DRI", "/srv/data"));

        var result = await published.RunAsync(production.WorkingDirectory, broken, "check-config");

        result.ExitCode.ShouldBe(1);
        var errors = result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        errors.ShouldContain(e => e.Contains("ADMIN_API_KEY"));
        errors.ShouldContain(e => e.Contains("SIGNING_KEY"));
        errors.ShouldContain(e => e.Contains("STORAGE_DATA_DIR"));
        errors.ShouldContain(e => e.Contains("STORAGE_DATA_DRI"));
        result.Errors.ShouldNotContain("changeme");
        production.Files().ShouldNotContain(f => f.Contains("storage.db"));
    }

    [Fact]
    public async Task The_server_refuses_to_start_on_a_bad_configuration()
    {
        using var production = new ProductionEnvironment();
        var port = PublishedService.FreePort();

        var result = await published.RunAsync(production.WorkingDirectory,
            production.With(("SIGNING_KEY", production.AdminKey), ("URLS", $"http://127.0.0.1:{port}")));

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("SIGNING_KEY");
        result.Errors.ShouldNotContain(production.AdminKey);
        using var client = new HttpClient();
        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/health/live"));
    }

    [Fact]
    public async Task A_dotenv_file_is_read_and_the_real_environment_wins()
    {
        using var production = new ProductionEnvironment();
        var variables = production.With(("SIGNING_KEY", null));
        await File.WriteAllTextAsync(Path.Combine(production.WorkingDirectory, ".env"),
            $"SIGNING_KEY={Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}\nTENANT_ID=from-dotenv\n");

        var fromFile = await published.RunAsync(production.WorkingDirectory, variables, "check-config");
        var overridden = await published.RunAsync(production.WorkingDirectory, production.With(("SIGNING_KEY", null), ("TENANT_ID", "from-env")), "check-config");

        fromFile.ExitCode.ShouldBe(0, fromFile.Errors);
        fromFile.Output.ShouldContain("tenant=from-dotenv");
        overridden.ExitCode.ShouldBe(0, overridden.Errors);
        overridden.Output.ShouldContain("tenant=from-env");
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("backup")]
    [InlineData("keys")]
    public async Task An_unknown_verb_or_a_missing_argument_is_a_usage_error(string verb)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, verb);

        result.ExitCode.ShouldBe(2);
        result.Errors.Split('\n')[0].ShouldStartWith("error:");
    }
}
