using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`tenants` and `keys` verbs: a key printed by the CLI works against the running server until it is revoked.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class TenantAndKeyVerbTests(PublishedService published)
{
    [Fact]
    public async Task A_created_key_is_printed_alone_on_stdout_and_is_never_listed_again()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);

        var tenant = await published.RunAsync(dir, env, "tenants", "create", "acme", "--name", "Acme Inc");
        var key = await published.RunAsync(dir, env, "keys", "create", "acme", "--name", "ci");
        var tenants = await published.RunAsync(dir, env, "tenants", "list");
        var keys = await published.RunAsync(dir, env, "keys", "list", "acme");

        tenant.ExitCode.ShouldBe(0, tenant.Errors);
        tenant.Output.ShouldBe("created tenant acme (Acme Inc)\n");
        key.ExitCode.ShouldBe(0, key.Errors);
        var apiKey = key.Output.TrimEnd('\n');
        apiKey.ShouldStartWith("sk_");
        apiKey.ShouldNotContain("\n");
        key.Errors.ShouldContain("for tenant acme; it is shown only once");
        key.Errors.ShouldNotContain(apiKey);
        tenants.Output.ShouldBe("acme\tAcme Inc\t1 active keys\n");
        var columns = keys.Output.TrimEnd('\n').Split('\t');
        columns.Length.ShouldBe(4, keys.Output);
        columns[0].ShouldStartWith("key_");
        columns[1].ShouldBe("ci");
        columns[2].ShouldBe(apiKey[..10] + "…");
        columns[3].ShouldBe("active");
        keys.Output.ShouldNotContain(apiKey);
    }

    [Fact]
    public async Task A_reserved_tenant_id_is_refused_by_the_cli_too()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);

        var result = await published.RunAsync(dir, env, "tenants", "create", "admin");

        result.ExitCode.ShouldNotBe(0);
        result.Errors.ShouldContain("Tenant id 'admin' is reserved");
        (await published.RunAsync(dir, env, "tenants", "list")).Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_key_from_the_cli_works_against_the_running_server_until_it_is_revoked()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        await using var server = await published.StartServerAsync(dir, env);

        // Created while the server runs: the server reads keys from the shared database, not from a cache filled at start.
        var apiKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        var keyId = (await published.RunAsync(dir, env, "keys", "list", "acme")).Output.Split('\t')[0];
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var accepted = await server.Http.GetAsync("/v1/objects");
        var revoke = await published.RunAsync(dir, env, "keys", "revoke", "acme", keyId);
        var rejected = await server.Http.GetAsync("/v1/objects");
        var keys = await published.RunAsync(dir, env, "keys", "list", "acme");
        var tenants = await published.RunAsync(dir, env, "tenants", "list");

        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        revoke.ExitCode.ShouldBe(0, revoke.Errors);
        rejected.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        rejected.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32().ShouldBe(401);
        keys.Output.TrimEnd('\n').Split('\t')[3].ShouldStartWith("revoked ");
        tenants.Output.ShouldBe("acme\tacme\t0 active keys\n");
    }

    [Fact]
    public async Task Mistakes_on_tenants_and_keys_fail_with_exit_1_and_one_error_line()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);

        ProcessResult[] failures =
        [
            await published.RunAsync(dir, env, "tenants", "create", "acme"),
            await published.RunAsync(dir, env, "tenants", "create", "Not A Valid Id"),
            await published.RunAsync(dir, env, "keys", "create", "nobody"),
            await published.RunAsync(dir, env, "keys", "list", "nobody"),
            await published.RunAsync(dir, env, "keys", "revoke", "acme", "key_missing"),
        ];

        foreach (var failure in failures)
        {
            failure.ExitCode.ShouldBe(1, failure.Errors);
            failure.Output.ShouldBeEmpty();
            failure.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith("error: ");
        }
        (await published.RunAsync(dir, env, "tenants", "list")).Output.ShouldBe("acme\tacme\t0 active keys\n");
    }
}
