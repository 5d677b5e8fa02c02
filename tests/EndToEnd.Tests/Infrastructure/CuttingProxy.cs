using System.Net;
using System.Net.Sockets;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of a host's sshd that cuts every connection once, after a given number of bytes went from
/// the client to the host: a network failure in the middle of an upload, at a point the test chooses. Afterwards it
/// relays normally again, as a network that comes back would.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private long _sent;
    private long _cutAfter = long.MaxValue;

    public CuttingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>True once the cut happened.</summary>
    public bool HasCut { get; private set; }

    /// <summary>Cuts all connections when <paramref name="bytes"/> more bytes have gone towards the host.</summary>
    public void CutAfter(long bytes) => Interlocked.Exchange(ref _cutAfter, Interlocked.Read(ref _sent) + bytes);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            lock (_open) _open.AddRange([client, server]);
            await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream(), towardsHost: true), PumpAsync(server.GetStream(), client.GetStream(), towardsHost: false));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool towardsHost)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (towardsHost && Interlocked.Add(ref _sent, read) >= Interlocked.Read(ref _cutAfter)) Cut();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    private void Cut()
    {
        Interlocked.Exchange(ref _cutAfter, long.MaxValue);
        HasCut = true;
        lock (_open)
        {
            foreach (var socket in _open) socket.Dispose();
            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
