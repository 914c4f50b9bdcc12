using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Cluster.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cluster.Runtime.Backplane;

/// <summary>
/// The cluster backplane on Redis pub/sub. Local subscribers of one channel share one Redis subscription, which is
/// dropped with the last of them. The client re-subscribes by itself after Redis comes back (covered by the tests).
/// </summary>
public sealed class RedisBackplane : IBackplane
{
    // Short, so a caller with a durable fallback (the outbox relay) gives up quickly instead of stalling a turn.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(5);

    // After Redis comes back, every node reconnects and re-subscribes on its own heartbeat (within about a second of each
    // other on loopback and LAN). A message published in between is lost for the nodes not yet re-subscribed, and would be
    // marked published all the same. So publishing stays refused for this long after a reconnect: what is committed
    // meanwhile stays unpublished and the outbox relay publishes it once every node listens again.
    internal static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(2);

    private static readonly Meter Meter = new(RuntimeMetrics.MeterName);
    private static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>(
        "cluster.backplane.handler_failures", description: "Backplane subscribers that threw while handling a message");

    private readonly ConfigurationOptions _options;
    private readonly ILogger<RedisBackplane> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelSubscription> _channels = new(StringComparer.Ordinal);
    private readonly TimeSpan _settle;
    private ConnectionMultiplexer? _connection;
    // Environment.TickCount64 since when the connection is known to be up; 0 while it is down or since it went down.
    private long _connectedSinceTicks;

    // 1 from a lost connection until the client reports it restored. The client also raises "restored" when a connection
    // is first established, which must not hold publishing off.
    private int _lost;

    public RedisBackplane(string configuration, ILogger<RedisBackplane> logger, TimeSpan? settle = null)
    {
        _options = ConfigurationOptions.Parse(configuration);
        // A node starts and serves its own connections while Redis is down; the client keeps retrying.
        _options.AbortOnConnectFail = false;
        _logger = logger;
        _settle = settle ?? DefaultSettle;
        _connectedSinceTicks = Environment.TickCount64 - (long)_settle.TotalMilliseconds; // the first connection needs no settling
    }

    /// <summary>Connected, and not within the settle time after a reconnect (see <see cref="DefaultSettle"/>).</summary>
    public bool IsConnected
    {
        get
        {
            if (_connection is not { } connection)
            {
                return false;
            }

            if (!connection.IsConnected)
            {
                Interlocked.Exchange(ref _connectedSinceTicks, 0);
                return false;
            }

            // The client raises its restored event asynchronously, possibly after it already reports connected again: the
            // first sight of the connection back starts the settle time too.
            var now = Environment.TickCount64;
            var since = Interlocked.CompareExchange(ref _connectedSinceTicks, now, 0);
            return now - (since == 0 ? now : since) >= (long)_settle.TotalMilliseconds;
        }
    }

    private string Endpoints => string.Join(", ", _options.EndPoints.Select(endpoint => endpoint.ToString()));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            throw new InvalidOperationException("The Redis backplane is already started.");
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(_options).WaitAsync(cancellationToken);
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        connection.InternalError += OnInternalError;
        _connection = connection;
        if (connection.IsConnected)
        {
            RedisBackplaneLog.Connected(_logger, Endpoints);
        }
        else
        {
            RedisBackplaneLog.StartedDisconnected(_logger, Endpoints);
        }
    }

    public async Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        var connection = Started();
        if (!IsConnected)
        {
            throw new InvalidOperationException(connection.IsConnected
                ? $"The Redis backplane reconnected to {Endpoints} only just now and waits for other nodes to re-subscribe; the message was not published."
                : $"The Redis backplane is not connected to {Endpoints}; the message was not published.");
        }

        var publish = connection.GetSubscriber().PublishAsync(Literal(channel), ToRedisValue(message));
        try
        {
            await publish.WaitAsync(PublishTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            // A publish abandoned by the timeout may still fail later; observe it so it is not reported as unobserved.
            _ = publish.ContinueWith(static task => task.Exception, TaskScheduler.Default);
            throw new InvalidOperationException(
                $"Publishing through Redis at {Endpoints} failed or took over {PublishTimeout.TotalSeconds:0.#} s; other nodes may not have the message.", ex);
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        var connection = Started();
        Subscription subscription;
        Task confirmed;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var shared))
            {
                shared = new ChannelSubscription(this, channel);
                // Called under the gate so that Redis sees SUBSCRIBE and UNSUBSCRIBE of one channel in the order we decided them.
                shared.Confirmed = connection.GetSubscriber().SubscribeAsync(shared.RedisChannel, shared.Deliver);
                _channels.Add(channel, shared);
            }

            subscription = new Subscription(shared, handler);
            shared.Subscribers = shared.Subscribers.Add(subscription);
            confirmed = shared.Confirmed;
        }

        try
        {
            await confirmed.WaitAsync(SubscribeTimeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await subscription.DisposeAsync();
            throw;
        }
        catch (Exception ex)
        {
            // The client keeps the subscription and sends it again on reconnect; until then this node hears nothing,
            // which the interface allows (consumers catch up from the store).
            RedisBackplaneLog.SubscribeUnconfirmed(_logger, ex, LogName(channel));
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        var connection = _connection;
        _connection = null;
        lock (_gate)
        {
            _channels.Clear();
        }

        if (connection is null)
        {
            return;
        }

        connection.ConnectionFailed -= OnConnectionFailed;
        connection.ConnectionRestored -= OnConnectionRestored;
        connection.InternalError -= OnInternalError;
        await connection.CloseAsync(allowCommandsToComplete: false);
        connection.Dispose();
    }

    /// <summary>How a channel appears in logs: its kind, and a short hash instead of the user id it may carry.</summary>
    internal static string LogName(string channel)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(channel)).AsSpan(0, 4));
        return channel[..(channel.LastIndexOf(':') + 1)] + "#" + hash;
    }

    private ConnectionMultiplexer Started() =>
        _connection ?? throw new InvalidOperationException("The Redis backplane is not started (or is disposed).");

    private async ValueTask RemoveAsync(Subscription subscription)
    {
        var shared = subscription.Shared;
        Task? unsubscribe = null;
        lock (_gate)
        {
            var remaining = shared.Subscribers.Remove(subscription);
            if (remaining == shared.Subscribers)
            {
                return;
            }

            shared.Subscribers = remaining;
            if (remaining.IsEmpty && _channels.Remove(shared.Name, out _))
            {
                unsubscribe = _connection?.GetSubscriber().UnsubscribeAsync(shared.RedisChannel, shared.Deliver);
            }
        }

        if (unsubscribe is null)
        {
            return;
        }

        try
        {
            await unsubscribe.WaitAsync(SubscribeTimeout);
        }
        catch (Exception ex)
        {
            RedisBackplaneLog.UnsubscribeUnconfirmed(_logger, ex, LogName(shared.Name));
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Exchange(ref _lost, 1);
        Interlocked.Exchange(ref _connectedSinceTicks, 0);
        RedisBackplaneLog.ConnectionFailed(_logger, e.Exception, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            Interlocked.Exchange(ref _connectedSinceTicks, Environment.TickCount64);
        }

        RedisBackplaneLog.ConnectionRestored(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?");
    }

    private void OnInternalError(object? sender, InternalErrorEventArgs e) =>
        RedisBackplaneLog.InternalError(_logger, e.Exception, e.Origin ?? "?");

    // Literal, because the client would otherwise treat a channel name containing '*' as a pattern.
    private static RedisChannel Literal(string channel) => new(channel, RedisChannel.PatternMode.Literal);

    private static RedisValue ToRedisValue(ReadOnlyMemory<byte> message) =>
        MemoryMarshal.TryGetArray(message, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : message.ToArray();

    /// <summary>The one Redis subscription of a channel and the local subscribers that share it.</summary>
    private sealed class ChannelSubscription(RedisBackplane owner, string name)
    {
        public RedisBackplane Owner { get; } = owner;

        public string Name { get; } = name;

        public RedisChannel RedisChannel { get; } = Literal(name);

        public Task Confirmed { get; set; } = Task.CompletedTask;

        // Replaced, never mutated, under the owner's gate, so delivery reads a consistent snapshot without locking.
        public ImmutableArray<Subscription> Subscribers { get; set; } = [];

        public void Deliver(RedisChannel channel, RedisValue value)
        {
            ReadOnlyMemory<byte> message = (byte[]?)value ?? [];
            foreach (var subscription in Subscribers)
            {
                try
                {
                    subscription.Handler(message);
                }
                catch (Exception ex)
                {
                    // One failing subscriber must neither starve the others nor reach the client's reader thread.
                    HandlerFailures.Add(1);
                    RedisBackplaneLog.HandlerFailed(Owner._logger, ex, LogName(Name));
                }
            }
        }
    }

    private sealed class Subscription(ChannelSubscription shared, Action<ReadOnlyMemory<byte>> handler) : IAsyncDisposable
    {
        public ChannelSubscription Shared { get; } = shared;

        public Action<ReadOnlyMemory<byte>> Handler { get; } = handler;

        public ValueTask DisposeAsync() => Shared.Owner.RemoveAsync(this);
    }
}
