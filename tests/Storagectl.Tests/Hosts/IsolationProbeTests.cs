using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The probe's host scripts and its bookkeeping, run for real (bash, curl) against two small HTTP services standing in
/// for tenant instances, with a stand-in `storage-api` whose keys live in a file beside each instance's .env. A failed
/// check fails the ring through the executor, and the probe's keys and objects are gone either way.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // bash and curl, as on the hosts
public sealed class IsolationProbeTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("probe-");
    private readonly Dictionary<string, LocalHttpService> _services = [];
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _objects = new();
    private readonly HostConfig _host;

    /// <summary>What each instance's full /health names (null: serves any tenant, the planted break).</summary>
    private readonly Dictionary<string, string?> _healthTenant = new() { ["acme"] = "acme", ["globex"] = "globex" };

    public IsolationProbeTests() => _host = Config.Hosts["web-1"] with { Root = _root.FullName, Transport = HostTransport.Local };

    /// <summary>keys create/list/revoke as the service's CLI answers them, on keys.tsv in the working directory (shared/).</summary>
    private const string FakeBinary = """
        #!/bin/bash
        db=keys.tsv; touch "$db"
        case "$1 $2" in
          "keys create")
            grep -qx "$3" tenants 2>/dev/null || { echo "error: Tenant '$3' does not exist" >&2; exit 1; }
            id=key_$RANDOM$RANDOM; key=sk_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
            printf '%s\t%s\t%s\t%s\tactive\n' "$id" "$3" "$5" "$key" >> "$db"
            echo "created key $id ($5) for tenant $3; it is shown only once:" >&2; echo "$key" ;;
          "keys list") awk -F'\t' -v t="$3" '$2 == t { print $1 "\t" $3 "\t" substr($4, 1, 10) "…\t" $5 }' "$db" ;;
          "keys revoke") awk -F'\t' -v OFS='\t' -v id="$4" '$1 == id { $5 = "revoked" } { print }' "$db" > "$db.new" && mv "$db.new" "$db" ;;
          *) exit 2 ;;
        esac
        """;

    public async Task InitializeAsync()
    {
        foreach (var tenant in new[] { "acme", "globex" })
        {
            var shared = new TenantPaths(_root.FullName, tenant).Shared;
            Directory.CreateDirectory(shared);
            Directory.CreateDirectory(Path.Combine(_root.FullName, tenant, "current"));
            var binary = Path.Combine(_root.FullName, tenant, "current", "storage-api");
            await File.WriteAllTextAsync(Path.Combine(shared, "keys.tsv"), "");
            await File.WriteAllTextAsync(binary, FakeBinary.Replace("\r", ""));
            File.SetUnixFileMode(binary, (UnixFileMode)Convert.ToInt32("755", 8));
            await File.WriteAllTextAsync(Path.Combine(shared, "tenants"), tenant + "\n");
            _objects[tenant] = new();
            _services[tenant] = await LocalHttpService.StartAsync(app => Map(app, tenant, shared));
        }
    }

    /// <summary>A tenant instance in miniature: keys from keys.tsv, objects in memory, the tenant in /health.</summary>
    private void Map(WebApplication app, string tenant, string shared)
    {
        bool Valid(HttpRequest request) =>
            request.Headers.Authorization.ToString() is { Length: > 7 } header && File.ReadAllLines(Path.Combine(shared, "keys.tsv"))
                .Select(l => l.Split('\t')).Any(k => k[1] == tenant && k[3] == header[7..] && k[4] == "active");
        var objects = _objects[tenant];
        app.MapGet("/health", () => Results.Json(new { status = "healthy", tenant = _healthTenant[tenant] }));
        app.MapGet("/v1/admin/tenants", (HttpRequest r) => Results.StatusCode(Valid(r) ? 403 : 401));
        app.MapGet("/v1/objects", (HttpRequest r) => Results.StatusCode(Valid(r) ? 200 : 401));
        app.MapPost("/v1/objects", (HttpRequest r) =>
        {
            if (!Valid(r)) return Results.StatusCode(401);
            var id = "obj_" + Guid.NewGuid().ToString("N")[..8];
            objects[id] = true;
            return Results.Json(new { id, filename = r.Query["filename"].ToString() }, statusCode: 201);
        });
        app.MapGet("/v1/objects/{id}", (HttpRequest r, string id) => Results.StatusCode(!Valid(r) ? 401 : objects.ContainsKey(id) ? 200 : 404));
        app.MapDelete("/v1/objects/{id}", (HttpRequest r, string id) => Results.StatusCode(!Valid(r) ? 401 : objects.TryRemove(id, out _) ? 204 : 404));
    }

    private ProbeInstance Instance(string tenant) =>
        new(tenant, _host, new TenantPaths(_root.FullName, tenant), _services[tenant].Port, _services[tenant].Port, $"{_root.FullName}/{tenant}/current/storage-api");

    private string[] Keys(string tenant) => File.ReadAllLines(Path.Combine(new TenantPaths(_root.FullName, tenant).Shared, "keys.tsv"));

    /// <summary>Runs scripts on this machine and keeps them, to show that no key was ever part of one.</summary>
    private sealed class RecordingConnection : HostConnection
    {
        public ConcurrentBag<string> Scripts { get; } = [];
        public override string Name => "web-1";
        protected override ProcessStartInfo StartInfo(string script)
        {
            Scripts.Add(script);
            return new("bash", ["-c", script]);
        }
    }

    private IsolationProbeStep Step(IReadOnlyList<ProbeInstance> subjects, IReadOnlyList<ProbeInstance> others) =>
        new("check acme's isolation", "isolation-probe-test", subjects, others, 5);

    [Fact]
    public async Task Both_tenants_pass_and_every_probe_key_is_revoked_and_every_object_deleted_without_a_key_in_any_script()
    {
        await using var connection = new RecordingConnection();

        var report = await new IsolationProbe(_ => connection).RunAsync(Step([Instance("acme"), Instance("globex")], []));

        report.Passed.ShouldBeTrue(string.Join('\n', report.Lines()));
        report.Checks.Where(c => c.Tenant == "acme").Select(c => $"{c.Check} {c.Expected} {c.Got}").ShouldBe([
            "no key 401 401", "probe key on /v1/admin/tenants 403 403", "/health names the tenant acme acme",
            "globex's probe key here 401 401", "globex's probe object here 404 404", "revoked probe key 401 401"]);
        report.Summary.ShouldBe("isolation probe passed: 12 of 12 checks; probe keys and objects removed");
        foreach (var tenant in new[] { "acme", "globex" })
        {
            var key = Keys(tenant).ShouldHaveSingleItem().Split('\t');
            (key[2], key[4]).ShouldBe(("isolation-probe-test", "revoked"));
            connection.Scripts.ShouldAllBe(script => !script.Contains(key[3]));
            _objects[tenant].ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task An_instance_that_serves_any_tenant_fails_the_ring_and_the_probe_still_cleans_up()
    {
        _healthTenant["acme"] = null;
        var undone = Path.Combine(_root.FullName, "switch-undone");
        var probe = Step([Instance("acme")], [Instance("globex")]);
        var target = new TargetPlan(Config.Environment("production").Tenants["acme"], _host, new TenantPaths(_root.FullName, "acme"), "1.0.0", "2.0.0", "abc", [],
            [], [new RunStep("switch", "true") { Undo = $"touch {undone}" }], [probe], null, "true");
        var log = new StringWriter();
        await using var connection = new LocalConnection("web-1");

        var outcome = await new DeployExecutor(_ => connection, new PlainReporter(log), TimeProvider.System)
            .RunAsync(new DeployPlan("production", DeployPlan.Deploy, null, "test", [new RingPlan(1, [target])]));

        outcome.Succeeded.ShouldBeFalse();
        outcome.FirstError.ShouldBe("acme@web-1: check acme's isolation: isolation probe FAILED: 1 of 7 checks failed: acme /health names the tenant: expected acme, got (none)");
        log.ToString().ShouldMatch(@"acme@web-1: acme\s+/health names the tenant\s+acme\s+\(none\)\s+FAIL");
        log.ToString().ShouldMatch(@"acme@web-1: acme\s+probe key on globex's instance\s+401\s+401\s+ok");
        File.Exists(undone).ShouldBeTrue();
        File.ReadAllText(Path.Combine(_root.FullName, "acme", "deploys.jsonl")).ShouldContain("\"outcome\":\"rolled-back\"");
        foreach (var tenant in new[] { "acme", "globex" })
        {
            Keys(tenant).ShouldHaveSingleItem().ShouldEndWith("\trevoked");
            _objects[tenant].ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task A_tenant_not_created_yet_gets_the_checks_that_need_no_key_of_its_own()
    {
        File.Delete(Path.Combine(new TenantPaths(_root.FullName, "globex").Shared, "tenants"));
        await using var connection = new LocalConnection("web-1");

        var report = await new IsolationProbe(_ => connection).RunAsync(Step([Instance("acme"), Instance("globex")], []));

        report.Passed.ShouldBeTrue(string.Join('\n', report.Lines()));
        report.Checks.Where(c => c.Tenant == "globex").Select(c => c.Check).ShouldBe(["no key", "/health names the tenant", "acme's probe key here"]);
        report.Checks.Where(c => c.Tenant == "acme").Select(c => c.Check).ShouldNotContain("globex's probe key here");
        report.Notes.ShouldBe(["globex: the tenant does not exist in its instance yet; waited for it: probe key on an admin route, other tenants' objects, probe key on other instances, revoked probe key"]);
        Keys("acme").ShouldHaveSingleItem().ShouldEndWith("\trevoked");
    }

    [Fact]
    public async Task Another_tenants_instance_that_does_not_serve_now_is_said_but_does_not_fail_this_tenants_probe()
    {
        var globex = Instance("globex");
        await _services["globex"].DisposeAsync();
        _services.Remove("globex");
        await using var connection = new LocalConnection("web-1");

        var report = await new IsolationProbe(_ => connection).RunAsync(Step([Instance("acme")], [globex]));

        report.Passed.ShouldBeTrue(string.Join('\n', report.Lines()));
        report.Notes.ShouldContain("acme: probe key on globex's instance left out: that instance does not serve now (no answer)");
        report.Notes.ShouldContain("globex: uploading its probe object answered nothing (no answer); checks with its object left out");
        report.Checks.Select(c => c.Check).ShouldContain("globex's probe key here"); // its key exists, so acme is still asked to refuse it
        Keys("globex").ShouldHaveSingleItem().ShouldEndWith("\trevoked");
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values) await service.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
