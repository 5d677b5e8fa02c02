using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// Signed links made through storagectl's own nginx site on a non-default port: the URL the service returns is one the
/// client can download from, with the tenant's public_url and without it (then nginx forwards the Host with its port),
/// and neither a Host nor an X-Forwarded-* header sent by the client moves it elsewhere.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class SignedLinkTests(Artifacts artifacts)
{
    [Fact]
    public async Task A_link_made_through_nginx_downloads_from_the_address_it_names()
    {
        await using var fleet = await TestFleet.StartAsync(publicUrlTenants: new HashSet<string> { "acme" });
        foreach (var tenant in new[] { "acme", "globex" })
        {
            var deployed = await fleet.StorageCtlAsync("deploy", "production", "--tenant", tenant, "--artifact", artifacts.V1);
            deployed.ExitCode.ShouldBe(0, deployed.ToString());
        }

        foreach (var tenant in new[] { "acme", "globex" })
        {
            using var client = await TenantClientAsync(fleet, tenant);
            var nginx = $"http://127.0.0.1:{fleet.Ports[tenant]}";
            var created = await client.PostAsync("/v1/objects?filename=report.txt", new StringContent($"bytes of {tenant}"));
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            var plain = await CreateLinkAsync(client, id);
            var spoofed = await CreateLinkAsync(client, id, ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"));

            plain.ShouldStartWith($"{nginx}/v1/links/", customMessage: tenant);
            spoofed.ShouldStartWith($"{nginx}/v1/links/", customMessage: tenant); // nginx replaces the client's X-Forwarded-* with its own
            using var visitor = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            (await visitor.GetStringAsync(plain)).ShouldBe($"bytes of {tenant}");
        }

        // With a public_url, even the Host header a client sends through nginx does not move the link.
        using var acme = await TenantClientAsync(fleet, "acme");
        var acmeId = (await (await acme.PostAsync("/v1/objects?filename=a.txt", new StringContent("a"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await CreateLinkAsync(acme, acmeId, ("Host", "evil.example:1"))).ShouldStartWith($"http://127.0.0.1:{fleet.Ports["acme"]}/v1/links/");
    }

    /// <summary>A client of the tenant through nginx, with a new key made by the tenant's admin key.</summary>
    private static async Task<HttpClient> TenantClientAsync(TestFleet fleet, string tenant)
    {
        using var admin = fleet.Client(tenant, fleet.AdminKey(tenant));
        if ((await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).GetArrayLength() == 0)
            (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = tenant, name = tenant })).EnsureSuccessStatusCode();
        var key = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/keys", new { name = "links" });
        key.EnsureSuccessStatusCode();
        return fleet.Client(tenant, (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
    }

    private static async Task<string> CreateLinkAsync(HttpClient client, string id, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/objects/{id}/links") { Content = JsonContent.Create(new { expiresInSeconds = 600 }) };
        foreach (var (name, value) in headers)
            if (name == "Host") request.Headers.Host = value;
            else request.Headers.Add(name, value);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }
}
