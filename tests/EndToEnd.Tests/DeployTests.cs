using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>storagectl deploys the published service over real ssh to real nginx hosts; traffic never fails, bad releases roll back.</summary>
[Collection(DeployCollection.Name)]
public sealed class DeployTests(Artifacts artifacts, ITestOutputHelper output)
{
    private static async Task DeployAsync(TestFleet fleet, string artifact)
    {
        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifact);
        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Fact]
    public async Task Version_one_reaches_three_tenants_on_two_hosts_and_each_instance_serves_only_its_tenant()
    {
        await using var fleet = await TestFleet.StartAsync();

        await DeployAsync(fleet, artifacts.V1);

        foreach (var tenant in TestFleet.Tenants)
        {
            var health = await fleet.HealthAsync(tenant);
            health.GetProperty("version").GetString().ShouldBe("1.0.0");
            health.GetProperty("tenant").GetString().ShouldBe(tenant);
            health.GetProperty("environment").GetString().ShouldBe("production");
        }
        var acmeKey = await fleet.CreateTenantAndKeyAsync("acme");
        await fleet.CreateTenantAndKeyAsync("globex");
        using (var acmeOnAcme = fleet.Client("acme", acmeKey)) (await acmeOnAcme.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var acmeOnGlobex = fleet.Client("globex", acmeKey)) (await acmeOnGlobex.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using (var globexAdminOnAcme = fleet.Client("acme", fleet.AdminKey("globex"))) (await globexAdminOnAcme.GetAsync("/v1/admin/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var envFile = Path.Combine(fleet.TenantFolder("acme"), "shared", ".env");
        File.GetUnixFileMode(envFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.EnumerateFiles(Path.Combine(fleet.TenantFolder("acme"), "releases"), "*.db", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists(Path.Combine(fleet.TenantFolder("acme"), "shared", "data", "storage.db")).ShouldBeTrue();
        fleet.DeploysAndRollbacks("initech").ShouldHaveSingleItem().ShouldContain("\"outcome\":\"succeeded\"");
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "deploy.lock")).ShouldBeFalse();

        await TheModelIsOnEachHostOnceAndFindsByMeaningAsync(fleet, acmeKey);
    }

    /// <summary>
    /// The embedding model went to each host once (two tenants share host-a's copy), each release links to it, the
    /// service embeds with it by default, and a second release does not send it again.
    /// </summary>
    private async Task TheModelIsOnEachHostOnceAndFindsByMeaningAsync(TestFleet fleet, string acmeKey)
    {
        var model = Storagectl.Planning.Artifact.Load(artifacts.V1).Model.ShouldNotBeNull();
        foreach (var tenant in TestFleet.Tenants)
        {
            var hostRoot = Path.GetDirectoryName(fleet.TenantFolder(tenant))!;
            Directory.GetDirectories(Path.Combine(hostRoot, "models")).Select(Path.GetFileName).ShouldBe([model.Folder]);
            var link = new DirectoryInfo(Path.Combine(fleet.TenantFolder(tenant), "releases", "1.0.0", "models", model.Name));
            link.ResolveLinkTarget(returnFinalTarget: true)!.FullName.ShouldBe(Path.Combine(hostRoot, "models", model.Folder));
        }

        using var acme = fleet.Client("acme", acmeKey);
        foreach (var (name, text) in new[] { ("puppy.txt", "A puppy chased a ball across a lawn."), ("taxes.txt", "Quarterly tax report: invoices and receipts.") })
        {
            using var form = new MultipartFormDataContent { { new StringContent(text), "file", name } };
            (await acme.PostAsync("/v1/objects", form)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        JsonElement answer = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            answer = await acme.GetFromJsonAsync<JsonElement>("/v1/search?q=a%20dog%20playing%20outside&k=2");
            if (answer.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("vector").ValueKind == JsonValueKind.Object) == 2) break;
            await Task.Delay(200);
        }
        output.WriteLine(answer.ToString());
        answer.GetProperty("embedder").GetProperty("model").GetString().ShouldBe("all-MiniLM-L6-v2");
        answer.GetProperty("items")[0].GetProperty("object").GetProperty("filename").GetString().ShouldBe("puppy.txt");

        var plan = await fleet.StorageCtlAsync("plan", "production", "--artifact", artifacts.V2);
        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Output.ShouldContain($"place the model in models/{model.Folder}");
        plan.Output.ShouldNotContain("upload the model");
    }

    /// <summary>
    /// Each switch moves nginx's active socket link under continuous traffic from three client loops (keep-alive
    /// connections, GETs and uploads): a deploy, then rollbacks back and forth. Not one request may fail, and every
    /// object uploaded meanwhile must be there afterwards with its bytes.
    /// </summary>
    [Fact]
    public async Task Five_switches_under_load_fail_no_request_and_lose_no_object()
    {
        await using var fleet = await TestFleet.StartAsync();
        var first = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1);
        first.ExitCode.ShouldBe(0, first.ToString());
        var key = await fleet.CreateTenantAndKeyAsync("acme");
        using var acme = fleet.Client("acme", key);
        var seeded = await (await acme.PostAsync("/v1/objects", new MultipartFormDataContent { { new ByteArrayContent("seed"u8.ToArray()), "file", "seed.txt" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        await using var load = new TrafficLoad(fleet, "acme", key, seeded.GetProperty("id").GetString()!, loops: 3);

        string[][] switches = [
            ["deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2],
            ["rollback", "production", "--tenant", "acme"],
            ["rollback", "production", "--tenant", "acme", "--to", "2.0.0"],
            ["rollback", "production", "--tenant", "acme"],
            ["rollback", "production", "--tenant", "acme", "--to", "2.0.0"]];
        string[] versions = ["2.0.0", "1.0.0", "2.0.0", "1.0.0", "2.0.0"];
        for (var i = 0; i < switches.Length; i++)
        {
            var before = load.Requests;
            var took = System.Diagnostics.Stopwatch.StartNew();
            var result = await fleet.StorageCtlAsync(switches[i]);
            output.WriteLine($"{string.Join(' ', switches[i][..3])} -> {versions[i]}: {took.Elapsed.TotalSeconds:F1} s, {load.Requests - before} requests meanwhile");
            result.ExitCode.ShouldBe(0, result.ToString());
            (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe(versions[i]);
            load.Requests.ShouldBeGreaterThan(before + 50, $"traffic kept flowing during {string.Join(' ', switches[i][..3])}");
        }
        await load.DisposeAsync();

        output.WriteLine($"{load.Requests} requests, {load.Uploaded.Count} uploads, {load.Failures.Count} failed");
        load.Failures.ShouldBeEmpty();
        load.Uploaded.Count.ShouldBeGreaterThan(50);
        (await load.MissingAsync()).ShouldBeEmpty();
        new FileInfo(Path.Combine(fleet.TenantFolder("acme"), "run", "active.sock")).LinkTarget.ShouldBe("green.sock"); // blue, green, blue, green, blue, green
    }
}
