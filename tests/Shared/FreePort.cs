using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>
/// Ports on 127.0.0.1 for the servers the tests start, below the kernel's ephemeral range (32768–60999): a port the
/// system picked from that range can be taken by any outgoing connection before the test's server listens on it.
/// Each call hands out the next port of 20000–29999 from a random start (test processes running side by side rarely
/// meet), skipping any that cannot be bound now.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 10000;
    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tries = 0; tries < Count; tries++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: the next one
            }
        }
        throw new InvalidOperationException($"no free port in {First}–{First + Count - 1} on 127.0.0.1");
    }
}
