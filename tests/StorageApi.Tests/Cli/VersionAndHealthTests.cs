using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>Version and commit stamped by `dotnet publish` show in --version and in /health of the running binary.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class VersionAndHealthTests(PublishedService published)
{
    [Fact]
    public async Task Version_prints_the_stamped_version_and_commit_whatever_the_configuration()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(("ADMIN_API_KEY", null)), "--version");

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Output.ShouldBe($"{PublishedService.Version}+{PublishedService.Commit}\n");
        result.Errors.ShouldBeEmpty();
        production.Files().ShouldNotContain(f => f.StartsWith(production.DataDirectory));
    }

    [Fact]
    public async Task Health_of_the_running_binary_reports_version_commit_and_checks()
    {
        using var production = new ProductionEnvironment();
        (await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate")).ExitCode.ShouldBe(0);
        await using var server = await published.StartServerAsync(production.WorkingDirectory, production.With(("TENANT_ID", "acme")));

        var response = await server.Http.GetAsync("/health");

        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        ((int)response.StatusCode).ShouldBe(200, health.GetRawText());
        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("version").GetString().ShouldBe(PublishedService.Version);
        health.GetProperty("commit").GetString().ShouldBe(PublishedService.Commit);
        health.GetProperty("environment").GetString().ShouldBe("production");
        health.GetProperty("tenant").GetString().ShouldBe("acme");
        health.GetProperty("instance").GetString().ShouldNotBeNullOrEmpty();
        health.GetProperty("uptimeSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        health.GetProperty("checks").EnumerateObject().Select(c => c.Name).ShouldBe(["database", "migrations", "dataDirectory", "freeDisk", "blobStore", "embeddingQueue"], ignoreOrder: true);
        health.GetProperty("checks").EnumerateObject().ShouldAllBe(c => c.Value.GetProperty("status").GetString() == "healthy");
        var again = await server.Http.GetFromJsonAsync<JsonElement>("/health");
        again.GetProperty("instance").GetString().ShouldBe(health.GetProperty("instance").GetString());
        again.GetProperty("startedAt").GetDateTime().ShouldBe(health.GetProperty("startedAt").GetDateTime());
        again.GetProperty("uptimeSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(health.GetProperty("uptimeSeconds").GetDouble());
    }
}
