using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Feed;

/// <summary>
/// Reads users' feeds from the store and delivers live entries from the backplane. A node subscribes to a
/// user's channel only while it has a local subscriber for that user.
/// </summary>
public sealed class UserEventFeed(IRuntimeStore store, IBackplane backplane, BackplaneChannels channels, ILogger<UserEventFeed> logger) : IUserEventFeed, IDisposable
{
    // Changed only under _gate; read lock-free by the backplane's delivery thread.
    private readonly ConcurrentDictionary<string, UserChannel> _users = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<FeedPage> ReadAsync(string userId, long afterCursor, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterCursor);
        return store.ReadFeedAsync(userId, afterCursor, limit, cancellationToken);
    }

    public async Task PublishTransientAsync(IReadOnlyCollection<string> userIds, string type, string payload, CancellationToken cancellationToken = default)
    {
        // A notice is worth nothing late and is lost when nobody listens anyway: while the backplane is down or stalled it is
        // dropped, so that the call behind it (typing) still succeeds instead of failing the client during an outage.
        if (!backplane.IsConnected)
        {
            return;
        }

        var id = Guid.CreateVersion7();
        try
        {
            foreach (var userId in userIds)
            {
                var notice = new FeedEvent(userId, 0, id, type, payload, DateTimeOffset.UtcNow);
                await backplane.PublishAsync(channels.Feed(userId), JsonSerializer.SerializeToUtf8Bytes(notice, RuntimeJson.Options), cancellationToken);
            }
        }
        catch (InvalidOperationException)
        {
            // The backplane went away between the check and the publish (the backplanes throw this when disconnected or stalled).
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string userId, Func<FeedEvent, ValueTask> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var handler = new Handler(this, userId, onEvent);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_users.TryGetValue(userId, out var channel))
            {
                channel = new UserChannel();
                channel.Subscription = await backplane.SubscribeAsync(channels.Feed(userId), message => Deliver(userId, message), cancellationToken);
                _users[userId] = channel;
            }

            channel.Handlers = channel.Handlers.Add(handler);
        }
        finally
        {
            _gate.Release();
        }

        return handler;
    }

    private async ValueTask UnsubscribeAsync(Handler handler)
    {
        IAsyncDisposable? subscription = null;
        await _gate.WaitAsync();
        try
        {
            if (_users.TryGetValue(handler.UserId, out var channel))
            {
                channel.Handlers = channel.Handlers.Remove(handler);
                if (channel.Handlers.IsEmpty)
                {
                    _users.TryRemove(handler.UserId, out _);
                    subscription = channel.Subscription;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    private void Deliver(string userId, ReadOnlyMemory<byte> message)
    {
        if (!_users.TryGetValue(userId, out var channel) || channel.Handlers.IsEmpty)
        {
            return;
        }

        FeedEvent? entry;
        try
        {
            entry = JsonSerializer.Deserialize<FeedEvent>(message.Span, RuntimeJson.Options);
        }
        catch (JsonException ex)
        {
            Fail(ex, userId);
            return;
        }

        if (entry is null)
        {
            return;
        }

        foreach (var handler in channel.Handlers)
        {
            try
            {
                var pending = handler.OnEvent(entry);
                if (!pending.IsCompletedSuccessfully)
                {
                    _ = ObserveAsync(pending, userId);
                }
            }
            catch (Exception ex)
            {
                Fail(ex, userId);
            }
        }
    }

    private async Task ObserveAsync(ValueTask pending, string userId)
    {
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            Fail(ex, userId);
        }
    }

    public void Dispose() => _gate.Dispose();

    private void Fail(Exception exception, string userId)
    {
        RuntimeMetrics.BackgroundFailures.Add(1);
        RuntimeLog.SubscriberFailed(logger, exception, userId);
    }

    private sealed class UserChannel
    {
        public ImmutableArray<Handler> Handlers { get; set; } = [];

        public IAsyncDisposable? Subscription { get; set; }
    }

    private sealed class Handler(UserEventFeed feed, string userId, Func<FeedEvent, ValueTask> onEvent) : IAsyncDisposable
    {
        private int _disposed;

        public string UserId { get; } = userId;

        public Func<FeedEvent, ValueTask> OnEvent { get; } = onEvent;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? feed.UnsubscribeAsync(this) : ValueTask.CompletedTask;
    }
}
