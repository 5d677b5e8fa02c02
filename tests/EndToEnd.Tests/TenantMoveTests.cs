using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;
using Storagectl.Configuration;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// `storagectl tenant move` over real ssh and nginx while a client keeps writing: no accepted write is lost, writes are
/// refused only with 503 and Retry-After during a short hold, and the old host's nginx forwards to the new one.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed partial class TenantMoveTests(Artifacts artifacts, ITestOutputHelper output)
{
    [Fact]
    public async Task A_tenant_moves_to_the_other_host_under_a_steady_writer_and_every_accepted_object_is_there_with_its_sha256()
    {
        await using var fleet = await TestFleet.StartAsync();
        var deployed = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        deployed.ExitCode.ShouldBe(0, deployed.ToString());
        var key = await fleet.CreateTenantAndKeyAsync("acme");
        var untouched = new[] { "globex", "initech" }.ToDictionary(t => t, t => File.ReadAllText(Path.Combine(fleet.TenantFolder(t), "deploys.jsonl")));

        var uploader = new SteadyUploader(fleet.Client("acme", key), TimeSpan.FromMilliseconds(100));
        await Task.Delay(TimeSpan.FromSeconds(1)); // some objects before the move starts
        var took = Stopwatch.StartNew();
        var moved = await fleet.StorageCtlAsync("tenant", "move", "production", "acme", "--to", "host-b", "--artifact", artifacts.V1);
        took.Stop();
        await Task.Delay(TimeSpan.FromSeconds(1)); // and some after, through the forward
        await uploader.DisposeAsync();

        output.WriteLine(moved.Output);
        moved.ExitCode.ShouldBe(0, moved.ToString());
        var hold = HoldLine().Match(moved.Output);
        hold.Success.ShouldBeTrue("the move reports its write hold");
        var refusals = uploader.Refused.Select(r => r.At).Order().ToList();
        output.WriteLine($"move: {took.Elapsed.TotalSeconds:0.0} s; reported write hold: {hold.Groups[1].Value} s; uploads: {uploader.Sent} sent, " +
                         $"{uploader.Accepted.Count} accepted (201), {refusals.Count} refused (503 with Retry-After), {uploader.Failures.Count} failed" +
                         (refusals.Count > 0 ? $"; refusals seen by the client over {(refusals[^1] - refusals[0]).TotalSeconds:0.00} s" : ""));
        uploader.Failures.ShouldBeEmpty();
        uploader.Accepted.Count.ShouldBeGreaterThan(20);
        uploader.Refused.ShouldAllBe(r => r.RetryAfter == "5");

        // The configuration now places acme on host-b, with its own ports there (host-a's nginx holds the old one on this machine).
        var acme = DeployConfigLoader.Load(fleet.ConfigFile).Environment("production").Tenants["acme"];
        acme.Hosts.ShouldBe(["host-b"]);
        acme.Port.ShouldNotBe(fleet.Ports["acme"]);
        var site = await File.ReadAllTextAsync(Path.Combine(fleet.HostA.Nginx.Sites, "storage-acme.conf"));
        site.ShouldContain($"listen {fleet.Ports["acme"]};");
        site.ShouldContain($"proxy_pass http://127.0.0.1:{acme.Port};");

        // Every accepted write is on host-b with its bytes: read directly from host-b's nginx, and through host-a's forward.
        using (var target = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{acme.Port}") })
        {
            target.DefaultRequestHeaders.Authorization = new("Bearer", key);
            (await uploader.MissingFromAsync(target)).ShouldBeEmpty();
            var health = await target.GetFromJsonAsync<JsonElement>("/health");
            health.GetProperty("version").GetString().ShouldBe("1.0.0");
        }
        using (var forwarded = fleet.Client("acme", key)) (await uploader.MissingFromAsync(forwarded)).ShouldBeEmpty();

        // Both hosts record the move; host-a keeps its data, its slots stopped; the other tenants saw nothing of it.
        var (source, destination) = (Path.Combine(fleet.HostA.Root, "acme"), Path.Combine(fleet.HostB.Root, "acme"));
        File.ReadAllLines(Path.Combine(source, "deploys.jsonl"))[^1].ShouldContain("\"outcome\":\"succeeded\"");
        File.ReadAllLines(Path.Combine(source, "deploys.jsonl"))[^1].ShouldContain("\"kind\":\"move\"");
        File.ReadAllLines(Path.Combine(destination, "deploys.jsonl"))[^1].ShouldContain("\"kind\":\"move\"");
        File.Exists(Path.Combine(source, "shared", "data", "storage.db")).ShouldBeTrue();
        File.Exists(Path.Combine(source, "MOVED")).ShouldBeTrue();
        Directory.EnumerateFiles(Path.Combine(source, "run"), "*.pid").ShouldBeEmpty();
        foreach (var (tenant, history) in untouched)
        {
            File.ReadAllText(Path.Combine(fleet.TenantFolder(tenant), "deploys.jsonl")).ShouldBe(history);
            (await fleet.HealthAsync(tenant)).GetProperty("version").GetString().ShouldBe("1.0.0");
        }
    }

    [GeneratedRegex(@"write hold: ([0-9.]+) s")]
    private static partial Regex HoldLine();
}
