using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using StorageApi.Configuration;
using StorageApi.Proxy;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// The address a signed link names: PUBLIC_BASE_URL when set, whatever the request says; otherwise the request's own,
/// with X-Forwarded-Proto and X-Forwarded-Host believed only from a proxy on this machine (loopback or Unix socket).
/// </summary>
public sealed class LinkAddressTests
{
    private static async Task<string> CreateLinkAsync(HttpClient client, string id, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/objects/{id}/links") { Content = JsonContent.Create(new { expiresInSeconds = 60 }) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        response.Headers.Location!.ToString().ShouldBe(url);
        return url;
    }

    [Fact]
    public async Task With_a_public_base_url_links_use_it_and_ignore_host_and_forwarded_headers()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.PublicBaseUrl] = "https://files.example.com/storage/" });
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "linked bytes")).GetProperty("id").GetString()!;

        var url = await CreateLinkAsync(acme.Http, id, ("Host", "evil.example"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "http"));

        url.ShouldStartWith("https://files.example.com/storage/v1/links/");
        var path = url["https://files.example.com/storage".Length..];
        (await service.Anonymous.GetStringAsync(path)).ShouldBe("linked bytes");
    }

    [Fact]
    public async Task Without_one_a_proxy_on_this_machine_forwards_scheme_host_and_port()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x")).GetProperty("id").GetString()!;

        var forwarded = await CreateLinkAsync(acme.Http, id, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "files.example.com:8443"));
        var direct = await CreateLinkAsync(acme.Http, id, ("Host", "127.0.0.1:8200"));

        forwarded.ShouldStartWith("https://files.example.com:8443/v1/links/");
        direct.ShouldStartWith("http://127.0.0.1:8200/v1/links/"); // the port stays, as nginx now passes $http_host
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Nginx_on_the_slots_unix_socket_is_a_trusted_proxy()
    {
        using var folder = new TempFolder();
        var socket = Path.Combine(folder.Path, "blue.sock");
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.Urls] = $"http://127.0.0.1:0;http://unix:{socket}" });
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x")).GetProperty("id").GetString()!;
        using var throughSocket = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancel);
                return new NetworkStream(connection, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://localhost"), DefaultRequestHeaders = { Authorization = new("Bearer", acme.Key) } };

        var url = await CreateLinkAsync(throughSocket, id, ("Host", "files.example.com:8200"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.9"));

        url.ShouldStartWith("https://files.example.com:8200/v1/links/");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("10.0.0.5", false)]
    public void Only_loopback_and_unix_socket_callers_are_trusted_to_forward(string? remote, bool trusted) =>
        ProxyHeaders.IsTrustedProxy(remote is null ? null : IPAddress.Parse(remote)).ShouldBe(trusted);

    [Theory]
    [InlineData("ftp://files.example.com")]
    [InlineData("files.example.com")]
    [InlineData("/storage")]
    [InlineData("https://files.example.com/?a=1")]
    [InlineData("https://files.example.com/#top")]
    [InlineData("https://user:pass@files.example.com")]
    public void A_public_base_url_that_is_not_a_plain_http_address_is_refused(string value)
    {
        using var folder = new TempFolder();

        var report = ConfigurationReader.Read(new Dictionary<string, string?> { [KnownVariables.PublicBaseUrl] = value }, folder.Path);

        report.Errors.ShouldHaveSingleItem().ShouldStartWith($"PUBLIC_BASE_URL '{value}' must be an absolute http:// or https:// URL");
    }
}
