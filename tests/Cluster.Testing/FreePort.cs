using System.Net;
using System.Net.Sockets;

namespace Cluster.Testing;

/// <summary>Hands out free TCP ports on the loopback interface for throwaway servers.</summary>
public static class FreePort
{
    // The OS may hand the same port to two quick calls once the first listener is closed; remembering what
    // this process handed out keeps parallel fixtures from starting servers on one port.
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
