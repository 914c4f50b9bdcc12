using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Cluster.Api.Hosting;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Realtime;

/// <summary>
/// Connects each hub connection to its user's feed. Every connection has its own ordered queue, so pushes keep
/// the order the feed delivered them in even though delivery checks are asynchronous. A connection that falls too
/// far behind loses pushes (counted) and catches up with Sync, since cursors reveal the gap.
/// </summary>
public sealed partial class ConnectionFeeds(
    IUserEventFeed feed, IHubContext<MessagingHub, IMessagingClient> hub, DeliveryCheck check, IOptions<ApiOptions> options, ILogger<ConnectionFeeds> logger)
{
    private const int QueueLength = 1024;
    private static readonly Meter Meter = new("Cluster.Api");
    private static readonly Counter<long> Pushed = Meter.CreateCounter<long>("cluster.hub.pushed");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("cluster.hub.dropped", description: "Pushes dropped for a connection too far behind; it catches up with Sync");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("cluster.hub.push_failures");

    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);

    /// <summary>Counts the connection against its user's cap; false when the user already holds the maximum here.</summary>
    public bool TryAdmit(string userId)
    {
        var count = _perUser.AddOrUpdate(userId, 1, (_, n) => n + 1);
        if (count <= options.Value.MaxConnectionsPerUser)
        {
            return true;
        }

        Release(userId);
        return false;
    }

    public async Task AttachAsync(string connectionId, Actor actor)
    {
        var connection = new Connection(connectionId, actor);
        _connections[connectionId] = connection;
        connection.Pump = Task.Run(() => PumpAsync(connection));
        connection.Subscription = await feed.SubscribeAsync(actor.UserId, entry =>
        {
            if (!connection.Queue.Writer.TryWrite(entry))
            {
                Dropped.Add(1);
            }

            return ValueTask.CompletedTask;
        });
    }

    public async Task DetachAsync(string connectionId, string userId)
    {
        if (_connections.TryRemove(connectionId, out var connection))
        {
            if (connection.Subscription is not null)
            {
                await connection.Subscription.DisposeAsync();
            }

            connection.Queue.Writer.TryComplete();
            Release(userId);
        }
    }

    private void Release(string userId)
    {
        var remaining = _perUser.AddOrUpdate(userId, 0, (_, n) => n - 1);
        if (remaining <= 0)
        {
            _perUser.TryRemove(new KeyValuePair<string, int>(userId, remaining));
        }
    }

    private async Task PumpAsync(Connection connection)
    {
        var client = hub.Clients.Client(connection.Id);
        var queue = connection.Queue.Reader;
        while (await queue.WaitToReadAsync())
        {
            // A batch is what is queued now, no more: under a steady stream a longer one would keep an answer alive
            // past an access that ended.
            var batch = check.Begin(connection.Actor);
            for (var queued = queue.Count; queued > 0 && queue.TryRead(out var entry); queued--)
            {
                await PushAsync(client, connection.Id, batch, entry);
            }
        }
    }

    private async Task PushAsync(IMessagingClient client, string connectionId, DeliveryBatch batch, FeedEvent entry)
    {
        try
        {
            if (ClientEvents.IsClientEvent(entry.Type) && await batch.MayReceiveAsync(entry)
                && ClientEvents.TryPush(client, ClientEvents.From(entry), out var sent))
            {
                await sent;
                Pushed.Add(1);
            }
        }
        catch (Exception ex)
        {
            Failures.Add(1);
            Log.PushFailed(logger, ex, entry.EventId, connectionId);
        }
    }

    private sealed class Connection(string id, Actor actor)
    {
        public string Id { get; } = id;

        public Actor Actor { get; } = actor;

        public Channel<FeedEvent> Queue { get; } = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(QueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then refuses when full, and the drop is counted.
        });

        public IAsyncDisposable? Subscription { get; set; }

        public Task? Pump { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(4200, LogLevel.Warning, "Pushing event {EventId} to connection {ConnectionId} failed")]
        public static partial void PushFailed(ILogger logger, Exception exception, Guid eventId, string connectionId);
    }
}
