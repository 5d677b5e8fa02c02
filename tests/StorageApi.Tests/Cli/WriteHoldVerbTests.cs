using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api write-hold on|off|status` from the published binary, against a server running on the same database.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class WriteHoldVerbTests(PublishedService published)
{
    [Fact]
    public async Task The_verb_holds_the_running_server_s_writes_at_once_says_so_and_off_restores_them()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        await using var server = await published.StartServerAsync(dir, env);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);

        var notHeld = await published.RunAsync(dir, env, "write-hold", "status");
        var on = await published.RunAsync(dir, env, "write-hold", "on", "--reason", "moving acme to host b", "--retry-after", "9");
        var refused = await server.Http.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "a"u8.ToArray()));
        var health = JsonDocument.Parse(await server.Http.GetStringAsync("/health")).RootElement.GetProperty("writeHold");
        var status = await published.RunAsync(dir, env, "write-hold", "status");
        var again = await published.RunAsync(dir, env, "write-hold", "on");
        var off = await published.RunAsync(dir, env, "write-hold", "off");
        var accepted = await server.Http.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "a"u8.ToArray()));
        var offAgain = await published.RunAsync(dir, env, "write-hold", "off");

        notHeld.ExitCode.ShouldBe(0, notHeld.Errors);
        notHeld.Output.ShouldBe("not held\n");
        on.ExitCode.ShouldBe(0, on.Errors);
        on.Output.ShouldMatch(@"^writes held: held since \d{4}-\d\d-\d\dT[0-9:.]+Z, Retry-After 9 s, reason: moving acme to host b; reads keep working\n$");
        var problem = await refused.ShouldBeProblemAsync(503);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(9));
        problem.GetProperty("detail").GetString()!.ShouldContain("(moving acme to host b)");
        health.GetProperty("held").GetBoolean().ShouldBeTrue();
        health.GetProperty("reason").GetString().ShouldBe("moving acme to host b");
        health.GetProperty("inFlightWrites").GetInt64().ShouldBe(0);
        var since = on.Output["writes held: held since ".Length..on.Output.IndexOf(", Retry-After", StringComparison.Ordinal)];
        status.Output.ShouldBe($"held since {since}, Retry-After 9 s, reason: moving acme to host b\n");
        again.Output.ShouldBe($"writes were already held; now: held since {since}, Retry-After 5 s; reads keep working\n", "a hold in place keeps its time");
        off.ExitCode.ShouldBe(0, off.Errors);
        off.Output.ShouldMatch($@"^writes accepted again; they were held for \d+\.\d s \(held since {System.Text.RegularExpressions.Regex.Escape(since)}, Retry-After 5 s\)\n$");
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync());
        offAgain.Output.ShouldBe("writes were not held\n");
    }

    [Theory]
    [InlineData("write-hold", "error: cannot understand 'write-hold'")]
    [InlineData("write-hold onn", "error: cannot understand 'write-hold onn'")]
    [InlineData("write-hold on --reason", "error: cannot understand 'write-hold on --reason'")]
    [InlineData("write-hold off now", "error: cannot understand 'write-hold off now'")]
    [InlineData("write-hold on --retry-after 0", "error: --retry-after must be whole seconds from 1 to 3600, not '0'")]
    [InlineData("write-hold on --retry-after 5s", "error: --retry-after must be whole seconds from 1 to 3600, not '5s'")]
    public async Task A_missing_or_unusable_argument_is_a_usage_error(string command, string error)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, command.Split(' '));

        result.ExitCode.ShouldBe(2, result.Errors);
        result.Output.ShouldBeEmpty();
        result.Errors.Split('\n')[0].ShouldBe(error);
        Directory.Exists(production.DataDirectory).ShouldBeFalse("a usage error touches nothing");
    }
}
