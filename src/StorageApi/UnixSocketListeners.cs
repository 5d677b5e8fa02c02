using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace StorageApi;

/// <summary>
/// Unix socket listeners (<c>URLS=http://unix:/path.sock</c>) that nginx can connect to. The socket file is created
/// with the process umask (0077 under the systemd unit), which would shut out nginx's worker user; it opens it to every
/// local user, as the slot's TCP port on 127.0.0.1 already is. API keys, not file modes, decide who may do what, and a
/// caller through the socket has no address, so it never counts as a local /metrics scraper.
/// </summary>
public static class UnixSocketListeners
{
    private const UnixFileMode ReadWriteForAll = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static void OpenToLocalUsers(SocketTransportOptions options) => options.CreateBoundListenSocket = endpoint =>
    {
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        if (endpoint is UnixDomainSocketEndPoint && socket.LocalEndPoint?.ToString() is { Length: > 0 } path && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, ReadWriteForAll);
        return socket;
    };
}
