using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Storagectl.Configuration;
using Storagectl.Dashboard;
using Storagectl.Planning;

namespace Storagectl.Tests.Dashboard;

/// <summary>
/// Tenant acme on a `transport: local` host (this machine): a real folder with releases 1.0.0 and 1.1.0 (current), its
/// history, a real /health, and its storagectl.yml; then a dashboard of it started in-process and spoken to over real
/// HTTP. Tests arrange the folder (a lock, hostile history) before <see cref="StartAsync"/>.
/// </summary>
public sealed partial class DashboardSandbox : IAsyncDisposable
{
    public const string Environment = "production";
    public const string Tenant = "acme";
    public const string Host = "local-1";
    public const string Who = "tester (dashboard)";

    private readonly TempFolder _root = new("dash-");
    private Hosts.LocalHttpService? _service;
    private WebApplication? _app;

    public DashboardSandbox()
    {
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            Directory.CreateDirectory(Path.Combine(TenantFolder, "releases", version));
            File.WriteAllText(Path.Combine(TenantFolder, "releases", version, "release.json"),
                new Artifact("storage-api", version, "abc123", DateTimeOffset.UnixEpoch, $"storage-api-{version}.tar.gz", new string('7', 64)).ManifestJson());
        }
        Directory.CreateSymbolicLink(Path.Combine(TenantFolder, "current"), Path.Combine(TenantFolder, "releases", "1.1.0"));
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        AppendHistory(new DeployRecord(at, at.AddSeconds(30), Environment, Tenant, Host, "1.0.0", "abc123", null, "ana", DeployRecord.Succeeded, null));
        AppendHistory(new DeployRecord(at.AddHours(1), at.AddHours(1).AddSeconds(30), Environment, Tenant, Host, "1.1.0", "abc123", "1.0.0", "ana", DeployRecord.Succeeded, null));
    }

    public string TenantFolder => _root.Combine(Tenant);
    public string ConfigFile => _root.Combine("storagectl.yml");
    public DashboardSettings Settings { get; private set; } = null!;
    public int Port { get; private set; }

    /// <summary>The cookie a browser holds after opening the printed URL.</summary>
    public string Cookie => $"storagectl-dashboard-{Port}={Settings.Token}";

    public void AppendHistory(DeployRecord record) => File.AppendAllText(Path.Combine(TenantFolder, "deploys.jsonl"), record.ToJson() + "\n");

    public void WriteLock(LockOwner owner)
    {
        Directory.CreateDirectory(Path.Combine(TenantFolder, "deploy.lock"));
        File.WriteAllText(Path.Combine(TenantFolder, "deploy.lock", "owner.json"), owner.ToJson());
    }

    public async Task StartAsync(bool readOnly = false)
    {
        _service = await Hosts.LocalHttpService.StartAsync(app => app.MapGet("/health", () => Results.Json(new { status = "healthy", version = "1.1.0" })));
        await File.WriteAllTextAsync(ConfigFile, $$"""
            hosts:
              {{Host}}: { address: 127.0.0.1, root: {{_root.Path}}, transport: local, service_manager: process, proxy: none }
            environments:
              {{Environment}}:
                tenants:
                  {{Tenant}}: { hosts: [{{Host}}], port: {{_service.Port}} }
            """);
        var config = DeployConfigLoader.Load(ConfigFile);
        Settings = new DashboardSettings(config, [config.Environment(Environment)], readOnly, Who);
        _app = DashboardExtensions.BuildDashboard(Settings, 0);
        await _app.StartAsync();
        Port = new Uri(_app.Urls.First()).Port;
    }

    /// <summary>A client that follows no redirect and keeps no cookie: each test sends what a browser would.</summary>
    public HttpClient Client() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    /// <summary>The page once the hosts were read (the first reading runs as the dashboard starts).</summary>
    public async Task<string> PageAsync()
    {
        using var client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", Cookie);
            using var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await response.Content.ReadAsStringAsync();
            if (page.Contains("Read at")) return page;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the dashboard never read the hosts:\n{page}");
            await Task.Delay(100);
        }
    }

    /// <summary>Posts an action's form as the page would: the cookie, the fields, and (as a browser adds) an Origin.</summary>
    public async Task<HttpResponseMessage> PostAsync(string action, IDictionary<string, string> fields, string? origin = null, string? accept = null)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/actions/{action}") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", Cookie);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (accept is not null) request.Headers.Add("Accept", accept);
        return await client.SendAsync(request);
    }

    /// <summary>The fields of a confirmed action on acme, with the form's token.</summary>
    public Dictionary<string, string> Form() => new()
    {
        ["environment"] = Environment, ["tenant"] = Tenant, ["formToken"] = Settings.FormToken, ["confirm"] = Tenant,
    };

    /// <summary>The formToken of the page's forms, as a browser would send it back.</summary>
    public static string FormTokenOf(string page) => FormTokenPattern().Match(page) is { Success: true } match
        ? match.Groups[1].Value : throw new ShouldAssertException($"the page has no form token:\n{page}");

    /// <summary>The headers every answer carries, refusals included: no script but its own, no caching, no Referer, no sniffing.</summary>
    public static void ShouldCarrySecurityHeaders(HttpResponseMessage response)
    {
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldContain("script-src 'self'");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.CacheControl.ShouldNotBeNull().NoStore.ShouldBeTrue();
        response.Headers.GetValues("Referrer-Policy").ShouldHaveSingleItem().ShouldBe("same-origin");
        response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");
    }

    /// <summary>What an action may change on the host: where current points, the history, and the lock folder's files.</summary>
    public DiskState Disk()
    {
        var lockFolder = Path.Combine(TenantFolder, "deploy.lock");
        return new DiskState(
            new FileInfo(Path.Combine(TenantFolder, "current")).LinkTarget,
            File.ReadAllText(Path.Combine(TenantFolder, "deploys.jsonl")),
            Directory.Exists(lockFolder)
                ? string.Join("\n", Directory.EnumerateFiles(lockFolder, "*", SearchOption.AllDirectories).Order().Select(f => $"{Path.GetRelativePath(lockFolder, f)}: {File.ReadAllText(f)}"))
                : null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_service is not null) await _service.DisposeAsync();
        _root.Dispose();
    }

    [GeneratedRegex(@"name=""formToken"" value=""([0-9a-f]{64})""")]
    private static partial Regex FormTokenPattern();
}

/// <param name="Lock">The lock folder's files and contents; null when there is no lock.</param>
public sealed record DiskState(string? Current, string History, string? Lock);
