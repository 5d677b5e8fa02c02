using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Configuration;

public sealed class ConfigurationReaderTests
{
    private const string StrongAdmin = "Qm9xR2c4dFZrN3lQd0xzTjFhWmVKdUhiM2ZDaVg2b0U";
    private const string StrongSigning = "Z3Y5TnFXcEs0YlR4UjdqTGNNMnVBaEZ5OHNEZ1Zl";

    private static ConfigurationReport Read(TempFolder folder, params (string Key, string? Value)[] variables) =>
        ConfigurationReader.Read(variables.ToDictionary(v => v.Key, v => v.Value), folder.Path);

    private (string, string?)[] ValidProduction(TempFolder folder) =>
    [
        (KnownVariables.Environment, "production"),
        (KnownVariables.DataDirectory, folder.Combine("data")),
        (KnownVariables.DatabaseUrl, "sqlite:///" + folder.Combine("storage.db")),
        (KnownVariables.AdminApiKey, StrongAdmin),
        (KnownVariables.SigningKey, StrongSigning),
        (KnownVariables.PublicBaseUrl, "https://files.example.com"),
    ];

    [Fact]
    public void Development_needs_nothing_and_keeps_data_under_the_working_directory()
    {
        using var folder = new TempFolder();
        var report = Read(folder);

        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        var settings = report.Settings!;
        settings.Environment.ShouldBe("development");
        settings.DataDirectory.ShouldBe(folder.Combine("data"));
        settings.Database.SqlitePath.ShouldBe(folder.Combine("data", "storage.db"));
        settings.Urls.ShouldBe("http://localhost:5080");
        settings.AdminApiKey.ShouldBeNull(); // generated at start, never a built-in default
    }

    [Fact]
    public void Production_with_nothing_set_lists_every_problem_at_once()
    {
        using var folder = new TempFolder();
        var report = Read(folder, (KnownVariables.Environment, "production"));

        report.IsValid.ShouldBeFalse();
        var all = string.Join("\n", report.Errors);
        all.ShouldContain(KnownVariables.DataDirectory);
        all.ShouldContain(KnownVariables.DatabaseUrl);
        all.ShouldContain(KnownVariables.AdminApiKey);
        all.ShouldContain(KnownVariables.SigningKey);
        report.Errors.Count.ShouldBe(4);
    }

    [Fact]
    public void A_complete_production_configuration_is_valid()
    {
        using var folder = new TempFolder();
        var report = Read(folder, ValidProduction(folder));
        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        report.Warnings.ShouldBeEmpty();
        report.Settings!.PublicBaseUrl.ShouldBe(new Uri("https://files.example.com"));
    }

    [Fact]
    public void Production_without_a_public_base_url_starts_but_warns_that_links_follow_the_request()
    {
        using var folder = new TempFolder();
        var report = Read(folder, [.. ValidProduction(folder).Where(v => v.Item1 != KnownVariables.PublicBaseUrl)]);

        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        report.Warnings.ShouldHaveSingleItem().ShouldStartWith("PUBLIC_BASE_URL is not set, so signed links take their address from each request");
    }

    [Theory]
    [InlineData("short-key")]
    [InlineData("changeme-changeme-changeme-changeme-changeme")]
    [InlineData("your-secret-key-goes-here-0123456789abcdef")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Weak_or_well_known_secrets_are_refused_outside_development(string weak)
    {
        using var folder = new TempFolder();
        var variables = ValidProduction(folder).Where(v => v.Item1 != KnownVariables.AdminApiKey).Append((KnownVariables.AdminApiKey, weak)).ToArray();

        var report = Read(folder, variables);

        report.IsValid.ShouldBeFalse();
        report.Errors.ShouldHaveSingleItem().ShouldStartWith(KnownVariables.AdminApiKey);
        report.Errors.Single().ShouldNotContain(weak); // secrets are never echoed
    }

    [Fact]
    public void The_same_secret_for_admin_and_signing_is_refused()
    {
        using var folder = new TempFolder();
        var variables = ValidProduction(folder).Where(v => v.Item1 != KnownVariables.SigningKey).Append((KnownVariables.SigningKey, StrongAdmin)).ToArray();
        Read(folder, variables).Errors.ShouldHaveSingleItem().ShouldContain("must differ");
    }

    [Fact]
    public void Relative_paths_are_refused_outside_development()
    {
        using var folder = new TempFolder();
        var variables = ValidProduction(folder)
            .Where(v => v.Item1 is not KnownVariables.DataDirectory and not KnownVariables.DatabaseUrl)
            .Append((KnownVariables.DataDirectory, "data"))
            .Append((KnownVariables.DatabaseUrl, "sqlite:///storage.db"))
            .ToArray();

        var errors = Read(folder, variables).Errors;

        errors.Count.ShouldBe(2);
        errors.ShouldContain(e => e.StartsWith(KnownVariables.DataDirectory) && e.Contains("relative"));
        errors.ShouldContain(e => e.StartsWith(KnownVariables.DatabaseUrl) && e.Contains("relative"));
    }

    [Fact]
    public void Data_inside_the_application_folder_is_refused_outside_development()
    {
        using var folder = new TempFolder();
        var variables = ValidProduction(folder).Where(v => v.Item1 != KnownVariables.DataDirectory)
            .Append((KnownVariables.DataDirectory, Path.Combine(AppContext.BaseDirectory, "data"))).ToArray();
        Read(folder, variables).Errors.ShouldHaveSingleItem().ShouldContain("inside the application folder");
    }

    [Theory]
    [InlineData("ADMIN_APIKEY", KnownVariables.AdminApiKey)]
    [InlineData("SIGNNG_KEY", KnownVariables.SigningKey)]
    [InlineData("database_url", KnownVariables.DatabaseUrl)]
    [InlineData("STORAGE_DATADIR", KnownVariables.DataDirectory)]
    [InlineData("TENANTID", KnownVariables.TenantId)]
    public void Misspelled_variables_are_errors_in_production_and_warnings_in_development(string typo, string known)
    {
        using var folder = new TempFolder();
        var production = Read(folder, [.. ValidProduction(folder), (typo, "x")]);
        production.Errors.ShouldHaveSingleItem().ShouldBe($"{typo} is not a known variable; did you mean {known}?");

        var development = Read(folder, (typo, "x"));
        development.IsValid.ShouldBeTrue();
        development.Warnings.ShouldHaveSingleItem().ShouldContain(known);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("DOTNET_ENVIRONMENT")]
    [InlineData("USER")]
    public void Ordinary_process_variables_are_not_mistaken_for_typos(string name)
    {
        using var folder = new TempFolder();
        Read(folder, [.. ValidProduction(folder), (name, "x")]).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void A_dotenv_file_is_read_and_the_real_environment_wins()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine(".env"), """
            # comment
            export TENANT_ID=from-file
            URLS="http://127.0.0.1:7000"
            MAX_UPLOAD_BYTES='2048'
            """);

        var settings = Read(folder, (KnownVariables.TenantId, "from-environment")).Settings!;

        settings.TenantId.ShouldBe("from-environment");
        settings.Urls.ShouldBe("http://127.0.0.1:7000");
        settings.MaxUploadBytes.ShouldBe(2048);
    }

    [Fact]
    public void A_malformed_dotenv_line_is_reported_with_its_line_number()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine(".env"), "TENANT_ID=acme\nthis line is wrong\nURLS=\"http://x\n");

        var errors = Read(folder).Errors;

        errors.ShouldContain(e => e.Contains(".env line 2"));
        errors.ShouldContain(e => e.Contains(".env line 3") && e.Contains("quote"));
    }

    [Fact]
    public void An_embedding_endpoint_without_a_key_is_a_warning_because_the_local_embedder_is_used()
    {
        using var folder = new TempFolder();
        var withoutKey = Read(folder, [.. ValidProduction(folder), (KnownVariables.OpenAiBaseUrl, "http://ollama:11434/v1"), (KnownVariables.EmbeddingModel, "nomic-embed-text")]);
        var withKey = Read(folder, [.. ValidProduction(folder), (KnownVariables.OpenAiBaseUrl, "http://ollama:11434/v1"), (KnownVariables.OpenAiApiKey, "ollama")]);

        withoutKey.IsValid.ShouldBeTrue(string.Join("; ", withoutKey.Errors));
        withoutKey.Warnings.ShouldHaveSingleItem().ShouldContain("local embedder");
        withKey.Warnings.ShouldBeEmpty();
        withKey.Settings!.OpenAiBaseUrl.ShouldBe("http://ollama:11434/v1");
    }

    [Theory]
    [InlineData(KnownVariables.Environment, "prod")]
    [InlineData(KnownVariables.TenantId, "Not A Slug")]
    [InlineData(KnownVariables.MaxUploadBytes, "-5")]
    [InlineData(KnownVariables.MinFreeDiskMegabytes, "lots")]
    [InlineData(KnownVariables.OpenAiBaseUrl, "not a url")]
    [InlineData(KnownVariables.Urls, "localhost:5080")]
    [InlineData(KnownVariables.DatabaseUrl, "mysql://db/x")]
    public void Invalid_values_are_errors_in_every_environment(string name, string value)
    {
        using var folder = new TempFolder();
        Read(folder, (name, value)).Errors.ShouldContain(e => e.StartsWith(name));
    }
}
