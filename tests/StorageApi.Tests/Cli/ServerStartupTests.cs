using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>The server itself refuses a bad production configuration: it names every problem, exits non-zero and never listens.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class ServerStartupTests(PublishedService published)
{
    [Fact]
    public async Task The_server_refuses_to_start_on_a_bad_configuration()
    {
        using var production = new ProductionEnvironment();
        var port = FreePort.Next();
        var before = production.Files();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(
            ("SIGNING_KEY", production.AdminKey),
            ("STORAGE_DATA_DRI", "/srv/data"),
            ("URLS", $"http://127.0.0.1:{port}")));

        result.ExitCode.ShouldBe(1);
        result.Output.ShouldBeEmpty();
        result.Errors.ShouldContain("error: ADMIN_API_KEY and SIGNING_KEY must differ");
        result.Errors.ShouldContain("error: STORAGE_DATA_DRI is not a known variable; did you mean STORAGE_DATA_DIR?");
        result.Errors.ShouldNotContain(production.AdminKey);
        production.Files().ShouldBe(before);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/health/live"));
    }
}
