using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Api.Realtime;

/// <summary>
/// The default lifetime manager, plus a goodbye: when the node begins to stop, every connection of the hub gets a close
/// message that allows the client to reconnect (to another node behind the load balancer), instead of a socket that just
/// drops. Calls already running finish on the server (their turns commit); a client that misses an answer retries with the
/// same client message id and gets the original back.
/// </summary>
public sealed partial class ReconnectOnShutdown<THub> : DefaultHubLifetimeManager<THub>
    where THub : Hub
{
    /// <summary>How long the goodbyes may take in total before the node goes on stopping.</summary>
    public static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(3);

    private const string Reason = "This server is restarting. Reconnect to continue.";

    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);
    private readonly ILogger<ReconnectOnShutdown<THub>> _logger;

    public ReconnectOnShutdown(
        ILogger<DefaultHubLifetimeManager<THub>> baseLogger, ILogger<ReconnectOnShutdown<THub>> logger, IHostApplicationLifetime lifetime)
        : base(baseLogger)
    {
        _logger = logger;
        lifetime.ApplicationStopping.Register(static state => ((ReconnectOnShutdown<THub>)state!).SayGoodbye(), this);
    }

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    private void SayGoodbye()
    {
        var connections = _connections.Values.ToList();
        if (connections.Count == 0)
        {
            return;
        }

        Log.ClosingForShutdown(_logger, connections.Count, typeof(THub).Name);
        var goodbye = new CloseMessage(Reason, allowReconnect: true);
        var deadline = DateTime.UtcNow + GoodbyeTimeout;
        var sent = Task.WhenAll(connections.Select(async connection =>
        {
            try
            {
                await connection.WriteAsync(goodbye);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection was already going; nothing to tell it.
            }
        }));
        // The stopping callback is synchronous; bounded waits keep a stuck socket from holding the shutdown. A client closes
        // its side once it reads the close message; whoever has not by the deadline is cut off (aborting at once could drop
        // the message before it left).
        if (!sent.Wait(GoodbyeTimeout))
        {
            Log.GoodbyesTimedOut(_logger, GoodbyeTimeout.TotalSeconds);
        }

        while (!_connections.IsEmpty && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4300, LogLevel.Information, "Stopping: closing {Count} {Hub} connections with a reconnect hint")]
        public static partial void ClosingForShutdown(ILogger logger, int count, string hub);

        [LoggerMessage(4301, LogLevel.Warning, "Stopping: not every connection took its close message within {Seconds} s")]
        public static partial void GoodbyesTimedOut(ILogger logger, double seconds);
    }
}
