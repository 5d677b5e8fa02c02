using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Storagectl.Configuration;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// Disaster recovery and removal with real hosts: a tenant folder wiped on host-a comes back on host-b from its off-host
/// backups with every object the backup holds; a removed tenant leaves its backup, its folder and no configuration behind.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class RestoreAndRemoveTests(Artifacts artifacts, ITestOutputHelper output)
{
    private static async Task<(string Id, string Sha256)> UploadAsync(HttpClient client, int number)
    {
        var bytes = RandomNumberGenerator.GetBytes(2048 + number);
        var response = await client.PostAsync("/v1/objects", new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"object-{number}.bin" } });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private async Task<ProcessResult> RunAsync(TestFleet fleet, params string[] args)
    {
        var took = Stopwatch.StartNew();
        var result = await fleet.StorageCtlAsync(args);
        output.WriteLine($"$ storagectl {string.Join(' ', args)}   ({took.Elapsed.TotalSeconds:F1} s, exit {result.ExitCode})");
        output.WriteLine(result.ToString());
        return result;
    }

    [Fact]
    public async Task A_wiped_tenant_folder_comes_back_on_the_other_host_with_every_object_up_to_the_backup()
    {
        await using var fleet = await TestFleet.StartAsync(backups: true);
        // initech on host-b gives the restore a release there to list the backups with; globex is not needed.
        (await RunAsync(fleet, "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        (await RunAsync(fleet, "deploy", "production", "--tenant", "initech", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        var key = await fleet.CreateTenantAndKeyAsync("acme");
        using var acme = fleet.Client("acme", key);
        var backedUp = new List<(string Id, string Sha256)>();
        for (var i = 0; i < 8; i++) backedUp.Add(await UploadAsync(acme, i));

        var backup = await RunAsync(fleet, "backup", "production", "--tenant", "acme", "--verify");
        backup.ExitCode.ShouldBe(0);
        backup.Output.ShouldContain("restore drill: snapshot");
        backup.Output.ShouldContain("restored 8 objects");
        backup.Output.ShouldContain("matches the live data");
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "shared", "restore-drill")).ShouldBeFalse();
        var status = await RunAsync(fleet, "status", "production", "--tenant", "acme", "--json");
        JsonDocument.Parse(status.Output).RootElement.GetProperty("targets")[0].GetProperty("backup").GetProperty("state").GetString().ShouldBe("ok");

        var after = new List<(string Id, string Sha256)>();
        for (var i = 8; i < 11; i++) after.Add(await UploadAsync(acme, i));
        // host-a loses acme: its processes die and its folder is gone (the site in nginx's folder stays, as on a host whose disk died).
        foreach (var pidFile in Directory.EnumerateFiles(Path.Combine(fleet.TenantFolder("acme"), "run"), "*.pid"))
            try { Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim())).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        Directory.Delete(fleet.TenantFolder("acme"), recursive: true);

        var restore = await RunAsync(fleet, "tenant", "restore", "production", "acme", "--to", "host-b", "--artifact", artifacts.V1);
        restore.ExitCode.ShouldBe(0);
        restore.Output.ShouldContain("RPO: acme is back as of snapshot");
        restore.Output.ShouldContain("RPO: host-a has no readable data for acme");

        var placed = DeployConfigLoader.Load(fleet.ConfigFile).Environment("production").Tenants["acme"];
        placed.Hosts.ShouldBe(["host-b"]);
        using var onB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{placed.Port}"), Timeout = TimeSpan.FromSeconds(30) };
        onB.DefaultRequestHeaders.Authorization = new("Bearer", key);
        foreach (var (id, sha256) in backedUp)
            Convert.ToHexStringLower(SHA256.HashData(await onB.GetByteArrayAsync($"/v1/objects/{id}/content"))).ShouldBe(sha256, id);
        foreach (var (id, _) in after)
            (await onB.GetAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound, $"{id} was written after the backup");
        // host-a's nginx forwards acme's old port to host-b.
        Convert.ToHexStringLower(SHA256.HashData(await acme.GetByteArrayAsync($"/v1/objects/{backedUp[0].Id}/content"))).ShouldBe(backedUp[0].Sha256);
        File.ReadAllText(Path.Combine(fleet.HostB.Root, "acme", "deploys.jsonl")).ShouldContain("\"kind\":\"restore\"");
    }

    [Fact]
    public async Task Removing_a_tenant_needs_its_name_twice_and_keeps_its_backup_and_its_folder_aside()
    {
        await using var fleet = await TestFleet.StartAsync(backups: true);
        (await RunAsync(fleet, "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        var key = await fleet.CreateTenantAndKeyAsync("acme");
        using (var acme = fleet.Client("acme", key)) await UploadAsync(acme, 1);

        (await RunAsync(fleet, "tenant", "remove", "production", "acme")).ExitCode.ShouldBe(2);
        var wrong = await RunAsync(fleet, "tenant", "remove", "production", "acme", "--confirm", "acm");
        wrong.ExitCode.ShouldBe(2);
        wrong.Errors.ShouldContain("--confirm acme");
        Directory.Exists(fleet.TenantFolder("acme")).ShouldBeTrue();

        var removed = await RunAsync(fleet, "tenant", "remove", "production", "acme", "--confirm", "acme");
        removed.ExitCode.ShouldBe(0);
        Directory.Exists(fleet.TenantFolder("acme")).ShouldBeFalse();
        var aside = Directory.GetDirectories(Path.Combine(fleet.HostA.Root, ".removed"), "acme-*").ShouldHaveSingleItem();
        removed.Output.ShouldContain($"kept in {aside}");
        File.Exists(Path.Combine(aside, "acme", "shared", "data", "storage.db")).ShouldBeTrue();
        File.Exists(Path.Combine(aside, "final-backup", "storage.db")).ShouldBeTrue();
        Directory.EnumerateFiles(Path.Combine(aside, "final-backup", "blobs"), "*", SearchOption.AllDirectories).ShouldNotBeEmpty();
        File.ReadAllText(Path.Combine(aside, "acme", "deploys.jsonl")).ShouldContain("\"kind\":\"remove\"");
        Directory.EnumerateFiles(fleet.BackupFolder("acme"), "*", SearchOption.AllDirectories).ShouldNotBeEmpty();
        File.Exists(Path.Combine(fleet.HostA.Nginx.Sites, "storage-acme.conf")).ShouldBeFalse();
        DeployConfigLoader.Load(fleet.ConfigFile).Environment("production").Tenants.Keys.ShouldBe(["globex", "initech"]);
        removed.Output.ShouldContain("secrets that can now be deleted (secrets file or CI): ACME_ADMIN_API_KEY, ACME_SIGNING_KEY");
        removed.Output.ShouldContain("keep ACME_BACKUP_KEY");
    }
}
