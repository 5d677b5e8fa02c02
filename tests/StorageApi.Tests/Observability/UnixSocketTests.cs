using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Observability;

/// <summary>
/// The Unix socket nginx connects to (URLS=...;http://unix:/path.sock, as storagectl writes for a slot): any local
/// user's process may connect, like to the TCP port, and a caller there has no address, so it is never a local scraper.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // Unix sockets and file modes
public sealed class UnixSocketTests
{
    [Fact]
    public async Task The_socket_serves_requests_is_open_to_nginx_and_never_counts_as_a_local_metrics_scraper()
    {
        using var folder = new TempFolder();
        var socket = Path.Combine(folder.Path, "blue.sock");
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.Urls] = $"http://127.0.0.1:0;http://unix:{socket}" });
        using var throughSocket = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancel);
                return new NetworkStream(connection, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://localhost") };

        File.GetUnixFileMode(socket).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        (await throughSocket.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await throughSocket.GetAsync("/metrics")).ShouldBeProblemAsync(401);
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", RunningService.AdminKey) } };
        (await throughSocket.SendAsync(admin)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
