using System.Security.Cryptography;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api check-config` judges the configuration strictly outside development, lists every problem at once and writes nothing.</summary>
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
        result.Errors.ShouldBeEmpty();
        result.Output.ShouldBe($"configuration is valid: environment=production, tenant=(any), " +
                               $"database=sqlite:///{production.DatabaseFile}, data={production.DataDirectory}\n");
        production.Files().ShouldBe(before);
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once_and_the_exit_code_is_1()
    {
        using var production = new ProductionEnvironment();
        var wellKnown = "changeme-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var broken = production.With(
            ("ADMIN_API_KEY", null),
            ("SIGNING_KEY", wellKnown),
            ("STORAGE_DATA_DIR", "data"),
            ("DATABASE_URL", "sqlite:///storage.db"),
            ("STORAGE_DATA_DRI", "/srv/data"));
        var before = production.Files();

        var result = await published.RunAsync(production.WorkingDirectory, broken, "check-config");

        result.ExitCode.ShouldBe(1);
        result.Output.ShouldBeEmpty();
        var lines = result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => l.StartsWith("error: "));
        lines.ShouldContain(l => l.StartsWith("error: ADMIN_API_KEY is missing"));
        lines.ShouldContain("error: SIGNING_KEY contains the well-known placeholder 'changeme'");
        lines.ShouldContain("error: STORAGE_DATA_DIR 'data' is a relative path; use an absolute one");
        lines.ShouldContain(l => l.StartsWith("error: DATABASE_URL 'sqlite:///storage.db' is a relative sqlite path"));
        lines.ShouldContain("error: STORAGE_DATA_DRI is not a known variable; did you mean STORAGE_DATA_DIR?");
        lines.Length.ShouldBe(5, result.Errors);
        result.Errors.ShouldNotContain(wellKnown);
        production.Files().ShouldBe(before);
    }

    public static TheoryData<string, string> WeakSecrets() => new()
    {
        { "ADMIN_API_KEY", "missing" }, { "ADMIN_API_KEY", "short" }, { "ADMIN_API_KEY", "well-known" }, { "ADMIN_API_KEY", "repetitive" },
        { "SIGNING_KEY", "missing" }, { "SIGNING_KEY", "short" }, { "SIGNING_KEY", "well-known" }, { "SIGNING_KEY", "repetitive" },
    };

    [Theory]
    [MemberData(nameof(WeakSecrets))]
    public async Task A_weak_secret_is_rejected_without_being_echoed(string variable, string weakness)
    {
        using var production = new ProductionEnvironment();
        var random = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var (value, expected) = weakness switch
        {
            "missing" => (null, $"error: {variable} is missing"),
            "short" => (random, $"error: {variable} is too short (16 characters, at least 32)"),
            "well-known" => ("Password" + random + random, $"error: {variable} contains the well-known placeholder 'password'"),
            _ => (string.Concat(Enumerable.Repeat(random[..4], 10)), $"error: {variable} is not random enough"),
        };

        var result = await published.RunAsync(production.WorkingDirectory, production.With((variable, value)), "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith(expected);
        if (value is not null) result.Errors.ShouldNotContain(value);
    }

    [Fact]
    public async Task The_same_secret_for_admin_and_signing_is_rejected()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(("SIGNING_KEY", production.AdminKey)), "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldBe("error: ADMIN_API_KEY and SIGNING_KEY must differ\n");
    }

    [Fact]
    public async Task Staging_is_judged_as_strictly_as_production()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory,
            production.With(("ENVIRONMENT", "staging"), ("ADMIN_API_KEY", null), ("STORAGE_DATA_DRI", "/srv/data")), "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("error: ADMIN_API_KEY is missing");
        result.Errors.ShouldContain("error: STORAGE_DATA_DRI is not a known variable");
    }

    [Fact]
    public async Task An_unknown_environment_name_is_an_error_and_the_rest_is_judged_strictly()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory,
            production.With(("ENVIRONMENT", "prod"), ("SIGNING_KEY", null)), "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("error: ENVIRONMENT is 'prod'; expected one of development, staging, production");
        result.Errors.ShouldContain("error: SIGNING_KEY is missing");
    }

    [Fact]
    public async Task Data_inside_the_published_application_folder_is_refused()
    {
        using var production = new ProductionEnvironment();
        var inside = Path.Combine(published.ApplicationDirectory, "data");

        var result = await published.RunAsync(production.WorkingDirectory,
            production.With(("STORAGE_DATA_DIR", inside), ("DATABASE_URL", "sqlite:///" + Path.Combine(inside, "storage.db"))), "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain($"error: STORAGE_DATA_DIR '{inside}' lies inside the application folder");
        result.Errors.ShouldContain("error: DATABASE_URL 'sqlite:///");
        Directory.Exists(inside).ShouldBeFalse();
    }

    [Fact]
    public async Task In_development_check_config_needs_nothing_generates_no_keys_and_only_warns_about_typos()
    {
        using var folder = new TempFolder();

        var result = await published.RunAsync(folder.Path, new Dictionary<string, string?> { ["STORAGE_DATA_DRI"] = "/srv/data" }, "check-config");

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Errors.ShouldBe("warning: STORAGE_DATA_DRI is not a known variable; did you mean STORAGE_DATA_DIR?\n");
        result.Output.ShouldStartWith("configuration is valid: environment=development, tenant=(any), ");
        result.Output.ShouldContain($"data={Path.Combine(folder.Path, "data")}");
        Directory.EnumerateFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }
}
