using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api blobs migrate` from the published binary, beside the running server that keeps serving.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class BlobsMigrateTests(PublishedService published)
{
    [Fact]
    public async Task Migrate_moves_the_blobs_of_a_running_server_and_says_which_setting_to_change()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        await using var server = await published.StartServerAsync(dir, env);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
        var objects = new List<(string Id, string Sha256)>();
        for (var i = 0; i < 3; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(10_000);
            var uploaded = await server.Http.PostAsync("/v1/objects", Uploads.Multipart($"f{i}.bin", bytes, "application/octet-stream"));
            uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
            var id = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            objects.Add((id, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
        var target = Path.Combine(production.Root, "moved");

        var result = await published.RunAsync(dir, env, "blobs", "migrate", "--to", "file://" + target);

        result.ExitCode.ShouldBe(0, result.Errors);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith($"migrated 3 blobs (");
        lines[0].ShouldContain($"to file://{target} in ");
        lines[0].ShouldEndWith("skipped 0 already there");
        lines[1].ShouldStartWith($"now set BLOB_STORE_URL=file://{target} (storagectl: env BLOB_STORE_URL) and restart: uploads still go to file: until then");
        Directory.EnumerateFiles(Path.Combine(production.DataDirectory, "blobs", "acme"), "*", SearchOption.AllDirectories).ShouldBeEmpty();
        Directory.EnumerateFiles(Path.Combine(target, "acme"), "*", SearchOption.AllDirectories).Count().ShouldBe(3);
        foreach (var (id, sha256) in objects)
            Convert.ToHexStringLower(SHA256.HashData(await server.Http.GetByteArrayAsync($"/v1/objects/{id}/content"))).ShouldBe(sha256);

        var again = await published.RunAsync(dir, env, "blobs", "migrate", "--to", "file://" + target, "--tenant", "acme");
        again.ExitCode.ShouldBe(0, again.Errors);
        again.Output.ShouldContain("migrated 0 blobs");
        again.Output.ShouldContain("skipped 3 already there");
    }

    [Theory]
    [InlineData("blobs migrate", "error: blobs migrate needs --to <url>")]
    [InlineData("blobs migrate --to ftp://host/x", "error: 'ftp://host/x' is neither file: (a folder) nor s3://bucket/prefix")]
    [InlineData("blobs migrate --to s3://B", "error: 's3://B' has no valid bucket name")]
    [InlineData("blobs migrate --to", "error: cannot understand 'blobs migrate --to'")]
    [InlineData("blobs migrate --to file: --all", "error: cannot understand 'blobs migrate --to file: --all'")]
    [InlineData("blobs", "error: cannot understand 'blobs'")]
    public async Task A_missing_or_unusable_target_is_a_usage_error(string command, string error)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, command.Split(' '));

        result.ExitCode.ShouldBe(2, result.Errors);
        result.Output.ShouldBeEmpty();
        result.Errors.Split('\n')[0].ShouldStartWith(error);
        Directory.Exists(production.DataDirectory).ShouldBeFalse("a usage error touches nothing");
    }

    [Fact]
    public async Task Another_tenant_than_the_instance_s_own_is_refused()
    {
        using var production = new ProductionEnvironment();
        var env = production.With(("TENANT_ID", "acme"));
        (await published.RunAsync(production.WorkingDirectory, env, "migrate")).ExitCode.ShouldBe(0);

        var result = await published.RunAsync(production.WorkingDirectory, env, "blobs", "migrate", "--to", "file://" + Path.Combine(production.Root, "moved"), "--tenant", "globex");

        result.ExitCode.ShouldBe(1);
        result.Errors.Trim().ShouldBe("error: this instance serves only tenant acme (TENANT_ID), not globex");
    }
}
