using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Hosts (sshd + nginx each) and a storagectl.yml that deploys three tenants to them: acme and globex on host-a,
/// initech on host-b. storagectl runs as a separate process with its own ssh config, known_hosts and key, exactly
/// as an operator or CI would run it. With <c>staging: true</c> there is also a staging environment (tenant
/// <see cref="StagingTenant"/> on host-b) and production promotes from it.
/// </summary>
public sealed class TestFleet : IAsyncDisposable
{
    public static readonly string[] Tenants = ["acme", "globex", "initech"];

    /// <summary>The staging environment's one tenant, with <c>staging: true</c>.</summary>
    public const string StagingTenant = "stage";
    private readonly TempFolder _folder = new("e2e-");
    private readonly Dictionary<string, string> _secrets = [];

    private TestFleet() { }

    public SshHost HostA { get; private set; } = null!;
    public SshHost HostB { get; private set; } = null!;
    public string ConfigFile => Path.Combine(_folder.Path, "storagectl.yml");

    /// <summary>The configuration's secrets_file: absent until `tenant add` writes a new tenant's secrets there (the fleet's own come from the environment).</summary>
    public string SecretsFile => Path.Combine(_folder.Path, "secrets.env");

    /// <summary>Where storagectl runs (its working directory).</summary>
    public string Folder => _folder.Path;
    public Dictionary<string, int> Ports { get; } = [];

    public string AdminKey(string tenant) => _secrets[$"{tenant.ToUpperInvariant()}_ADMIN_API_KEY"];

    public SshHost HostOf(string tenant) => tenant is "initech" or StagingTenant ? HostB : HostA;

    /// <summary>With <c>cuttable: true</c>, storagectl reaches host-a through this relay, which can cut its connections.</summary>
    public CuttingProxy? HostAProxy { get; private set; }

    /// <summary>With a <c>smallDisk</c>, that tenant's folder on host-a or host-b is its own small tmpfs.</summary>
    public SmallDisk? SmallDisk { get; private set; }

    /// <summary>Tenants given a public_url (their nginx address); the others' links follow the request.</summary>
    public IReadOnlySet<string> PublicUrlTenants { get; private init; } = new HashSet<string>();

    /// <summary>With <c>backups: true</c>, each tenant backs up to <see cref="BackupFolder"/> (BACKUP_URL) with a BACKUP_KEY of its own.</summary>
    public bool Backups { get; private init; }

    public string BackupFolder(string tenant) => Path.Combine(_folder.Path, "backups", tenant);

    /// <summary>With <c>staging: true</c>, a staging environment (<see cref="StagingTenant"/> on host-b) that production has as promote_from.</summary>
    public bool Staging { get; private init; }

    /// <summary>How long the slot a switch left keeps running (rollback_window_seconds).</summary>
    public int RollbackWindowSeconds { get; private init; }

    /// <summary>The health gate's tries, 0.2 s apart (the default 200: a 40 s budget).</summary>
    public int GateRetries { get; private init; }

    public static async Task<TestFleet> StartAsync(bool cuttable = false, SmallDisk? smallDisk = null, IReadOnlySet<string>? publicUrlTenants = null, bool backups = false,
        bool staging = false, int rollbackWindowSeconds = 600, int gateRetries = 200)
    {
        var fleet = new TestFleet
        {
            SmallDisk = smallDisk, PublicUrlTenants = publicUrlTenants ?? new HashSet<string>(), Backups = backups, Staging = staging,
            RollbackWindowSeconds = rollbackWindowSeconds, GateRetries = gateRetries,
        };
        var folder = fleet._folder.Path;
        var clientKey = Path.Combine(folder, "id_ed25519");
        await TestProcess.RequireAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey);
        Directory.CreateDirectory(Path.Combine(folder, "a"));
        Directory.CreateDirectory(Path.Combine(folder, "b"));
        fleet.HostA = await SshHost.StartAsync("host-a", Path.Combine(folder, "a"), clientKey + ".pub");
        fleet.HostB = await SshHost.StartAsync("host-b", Path.Combine(folder, "b"), clientKey + ".pub");

        if (smallDisk is not null) await smallDisk.MountAsync(fleet.TenantFolder(smallDisk.Tenant));
        if (cuttable) fleet.HostAProxy = new CuttingProxy(fleet.HostA.SshPort);
        int PortOf(SshHost h) => h == fleet.HostA && fleet.HostAProxy is { } proxy ? proxy.Port : h.SshPort;

        var knownHosts = Path.Combine(folder, "known_hosts");
        await File.WriteAllLinesAsync(knownHosts, [
            $"[127.0.0.1]:{PortOf(fleet.HostA)} {fleet.HostA.HostPublicKey}",
            $"[127.0.0.1]:{PortOf(fleet.HostB)} {fleet.HostB.HostPublicKey}"]);
        await File.WriteAllTextAsync(Path.Combine(folder, "ssh_config"), string.Join("\n", new[] { fleet.HostA, fleet.HostB }.Select(h => $"""
            Host {h.Name}
                HostName 127.0.0.1
                Port {PortOf(h)}
                User root
                IdentityFile {clientKey}
                IdentitiesOnly yes
                UserKnownHostsFile {knownHosts}
                StrictHostKeyChecking yes

            """)));

        foreach (var tenant in staging ? [.. Tenants, StagingTenant] : Tenants)
        {
            fleet.Ports[tenant] = FreePort.Next();
            fleet._secrets[$"{tenant.ToUpperInvariant()}_ADMIN_API_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            fleet._secrets[$"{tenant.ToUpperInvariant()}_SIGNING_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            if (backups) fleet._secrets[$"{tenant.ToUpperInvariant()}_BACKUP_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        }
        await File.WriteAllTextAsync(fleet.ConfigFile, fleet.Yaml());
        foreach (var environment in staging ? ["production", "staging"] : new[] { "production" })
        {
            var provisioned = await fleet.StorageCtlAsync("provision", environment);
            if (provisioned.ExitCode != 0) await fleet.DisposeAsync(); // stops the hosts and unmounts a small disk before failing
            provisioned.ExitCode.ShouldBe(0, provisioned.ToString());
        }
        return fleet;
    }

    private string Yaml()
    {
        string HostYaml(SshHost h) => $"""
              {h.Name}:
                address: {h.Name}
                private_address: 127.0.0.1
                root: {h.Root}
                service_manager: process
                nginx_config: {h.Nginx.Config}
                nginx_sites_dir: {h.Nginx.Sites}
            """;
        // The load test sends requests back to back, far above production's default rate limits.
        string MinFreeDisk(string t) => SmallDisk?.Tenant == t ? $", MIN_FREE_DISK_MB: {SmallDisk.MinFreeDiskMegabytes}" : "";
        string BackupEnv(string t) => Backups ? $", BACKUP_URL: \"file://{BackupFolder(t)}\"" : "";
        string BackupSecret(string t) => Backups ? $", BACKUP_KEY: {t.ToUpperInvariant()}_BACKUP_KEY" : "";
        string PublicUrl(string t) => PublicUrlTenants.Contains(t) ? $"\n        public_url: http://127.0.0.1:{Ports[t]}" : "";
        string TenantYaml(string t) => $"""
                  {t}:
                    hosts: [{HostOf(t).Name}]
                    port: {Ports[t]}{PublicUrl(t)}
                    slot_ports: [{FreePort.Next()}, {FreePort.Next()}]
                    env: {"{"} ENVIRONMENT: {(t == StagingTenant ? "staging" : "production")}, TENANT_ID: {t}, RATE_LIMIT_REQUESTS_PER_MINUTE: 1000000, RATE_LIMIT_REQUEST_BURST: 100000{MinFreeDisk(t)}{BackupEnv(t)} {"}"}
                    secrets: {"{"} ADMIN_API_KEY: {t.ToUpperInvariant()}_ADMIN_API_KEY, SIGNING_KEY: {t.ToUpperInvariant()}_SIGNING_KEY{BackupSecret(t)} {"}"}
            """;
        return $"""
            ssh_config: {Path.Combine(_folder.Path, "ssh_config")}
            secrets_file: {SecretsFile}
            releases_kept: 3
            rollback_window_seconds: {RollbackWindowSeconds}
            health:
              retries: {GateRetries}
              interval_seconds: 0.2
              drain_seconds: 1
              bake_seconds: 2
            lock:
              stale_after_minutes: 10
            hosts:
            {HostYaml(HostA)}
            {HostYaml(HostB)}
            environments:
              production:{(Staging ? "\n    promote_from: staging" : "")}
                tenants:
            {string.Join("\n", Tenants.Select(TenantYaml))}
                rings: [[acme], [globex, initech]]
            {(Staging ? $"  staging:\n    tenants:\n{TenantYaml(StagingTenant)}" : "")}
            """;
    }

    /// <summary>Runs storagectl as a separate process with the tenants' secrets in its environment.</summary>
    public Task<ProcessResult> StorageCtlAsync(params string[] args) => StorageCtlAsAsync("e2e-test", args);

    /// <summary>storagectl as someone else, for tests where two operators act at once.</summary>
    public Task<ProcessResult> StorageCtlAsAsync(string who, params string[] args) =>
        TestProcess.RunAsync(StorageCtl(who, args), TimeSpan.FromMinutes(4));

    /// <summary>storagectl started and left running, for tests that kill it midway.</summary>
    public Process StartStorageCtl(params string[] args) => TestProcess.Start(StorageCtl("killed-run", args));

    /// <summary>storagectl left running as <paramref name="who"/> (a dashboard), each line it writes going to <paramref name="line"/>.</summary>
    public Process StartStorageCtl(string who, Action<string> line, params string[] args) => TestProcess.Start(StorageCtl(who, args), line);

    /// <summary>With the tenants' secrets, as CI would have them, who acts, and a journal folder of the fleet's own.</summary>
    private ProcessStartInfo StorageCtl(string who, string[] args) =>
        new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "storagectl.dll"), "--config", ConfigFile, "--plain", .. args]) { WorkingDirectory = _folder.Path }
            .WithEnvironment(new Dictionary<string, string>(_secrets) { ["STORAGECTL_WHO"] = who, ["STORAGECTL_STATE_DIR"] = StateFolder });

    /// <summary>Where this fleet's storagectl runs journal themselves for the dashboard (STORAGECTL_STATE_DIR).</summary>
    public string StateFolder => Path.Combine(_folder.Path, "state");

    public HttpClient Client(string tenant, string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Ports[tenant]}"), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>Creates the tenant in its instance (with the instance's admin key, through nginx) and an API key for it.</summary>
    public async Task<string> CreateTenantAndKeyAsync(string tenant)
    {
        using var admin = Client(tenant, AdminKey(tenant));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = tenant, name = tenant })).EnsureSuccessStatusCode();
        var key = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/keys", new { name = "e2e" });
        key.EnsureSuccessStatusCode();
        return (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>The full /health report through nginx, which takes the admin key: anonymous callers there see only status and version.</summary>
    public async Task<JsonElement> HealthAsync(string tenant)
    {
        using var client = Client(tenant, AdminKey(tenant));
        return await client.GetFromJsonAsync<JsonElement>("/health");
    }

    public string TenantFolder(string tenant) => Path.Combine(HostOf(tenant).Root, tenant);

    /// <summary>The tenant's deploys and rollbacks from its deploys.jsonl: the fleet's own provisioning is left out.</summary>
    public IReadOnlyList<string> DeploysAndRollbacks(string tenant)
    {
        var file = Path.Combine(TenantFolder(tenant), "deploys.jsonl");
        return File.Exists(file) ? [.. File.ReadAllLines(file).Where(l => !l.Contains("\"kind\":\"provision\""))] : [];
    }

    public async ValueTask DisposeAsync()
    {
        if (HostAProxy is not null) await HostAProxy.DisposeAsync();
        await HostA.DisposeAsync();
        await HostB.DisposeAsync();
        if (SmallDisk is not null) await SmallDisk.UnmountAsync(); // after the hosts stopped the services that use it
        _folder.Dispose();
    }
}
