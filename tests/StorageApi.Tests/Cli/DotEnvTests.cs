using System.Security.Cryptography;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>A `.env` file in the working directory configures the binary; a real environment variable wins over it.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class DotEnvTests(PublishedService published)
{
    [Fact]
    public async Task A_dotenv_file_is_read_and_the_real_environment_wins()
    {
        using var production = new ProductionEnvironment();
        await File.WriteAllTextAsync(Path.Combine(production.WorkingDirectory, ".env"),
            $"# shared/.env\nexport SIGNING_KEY=\"{Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\"\nTENANT_ID=from-dotenv\n");

        var fromFile = await published.RunAsync(production.WorkingDirectory, production.With(("SIGNING_KEY", null)), "check-config");
        var overridden = await published.RunAsync(production.WorkingDirectory,
            production.With(("SIGNING_KEY", null), ("TENANT_ID", "from-env")), "check-config");

        fromFile.ExitCode.ShouldBe(0, fromFile.Errors);
        fromFile.Output.ShouldContain("tenant=from-dotenv");
        overridden.ExitCode.ShouldBe(0, overridden.Errors);
        overridden.Output.ShouldContain("tenant=from-env");
    }

    [Fact]
    public async Task A_weak_secret_in_the_dotenv_file_is_overridden_by_a_strong_one_in_the_environment()
    {
        using var production = new ProductionEnvironment();
        await File.WriteAllTextAsync(Path.Combine(production.WorkingDirectory, ".env"), "ADMIN_API_KEY=changeme\n");

        var withEnvironment = await published.RunAsync(production.WorkingDirectory, production.Variables, "check-config");
        var fileOnly = await published.RunAsync(production.WorkingDirectory, production.With(("ADMIN_API_KEY", null)), "check-config");

        withEnvironment.ExitCode.ShouldBe(0, withEnvironment.Errors);
        fileOnly.ExitCode.ShouldBe(1);
        fileOnly.Errors.ShouldBe("error: ADMIN_API_KEY is too short (8 characters, at least 32)\n");
    }

    [Fact]
    public async Task A_typo_in_the_dotenv_file_is_reported_like_one_in_the_environment()
    {
        using var production = new ProductionEnvironment();
        await File.WriteAllTextAsync(Path.Combine(production.WorkingDirectory, ".env"), "SINGING_KEY=oops\nnot a line\n");

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "check-config");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("error: SINGING_KEY is not a known variable; did you mean SIGNING_KEY?");
        result.Errors.ShouldContain(".env:2: expected KEY=value");
        result.Errors.ShouldNotContain("oops");
    }

    [Fact]
    public async Task An_inline_comment_is_not_part_of_the_key_the_server_accepts()
    {
        using var production = new ProductionEnvironment();
        await File.WriteAllTextAsync(Path.Combine(production.WorkingDirectory, ".env"),
            $"ADMIN_API_KEY={production.AdminKey}   # rotated 2026-11\r\nexport SIGNING_KEY='{production.Variables["SIGNING_KEY"]}'\r\n");
        var fileOnly = production.With(("ADMIN_API_KEY", null), ("SIGNING_KEY", null));

        var check = await published.RunAsync(production.WorkingDirectory, fileOnly, "check-config");
        check.ExitCode.ShouldBe(0, check.Errors);
        (await published.RunAsync(production.WorkingDirectory, fileOnly, "migrate")).ExitCode.ShouldBe(0);
        await using var server = await published.StartServerAsync(production.WorkingDirectory, fileOnly);

        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/tenants") { Headers = { { "X-API-Key", production.AdminKey } } };
        (await server.Http.SendAsync(withKey)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        using var withComment = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/tenants") { Headers = { { "X-API-Key", $"{production.AdminKey}   # rotated 2026-11" } } };
        (await server.Http.SendAsync(withComment)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_malformed_dotenv_file_stops_check_config_and_the_server_naming_file_and_line()
    {
        using var production = new ProductionEnvironment();
        var file = Path.Combine(production.WorkingDirectory, ".env");
        await File.WriteAllTextAsync(file, "# secrets\nSIGNING_KEY='never-closed\nTENANT_ID=acme\nTENANT_ID=globex\n");

        var check = await published.RunAsync(production.WorkingDirectory, production.Variables, "check-config");
        var serve = await published.RunAsync(production.WorkingDirectory, production.Variables);

        foreach (var result in new[] { check, serve })
        {
            result.ExitCode.ShouldBe(1);
            result.Errors.ShouldBe($"error: {file}:2: SIGNING_KEY: the ' quote is not closed on this line\n" +
                                   $"error: {file}:4: TENANT_ID is set again (first on line 3); keep one\n");
        }
    }
}
