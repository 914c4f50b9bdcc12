using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cluster.Runtime.Diagnostics;

namespace Cluster.Runtime.Backplane;

/// <summary>The single-node backplane: publish calls the local subscribers directly.</summary>
public sealed class InProcessBackplane : IBackplane
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Subscription>> _subscriptions = new(StringComparer.Ordinal);

    public bool IsConnected => true;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (_subscriptions.TryGetValue(channel, out var subscribers))
        {
            foreach (var subscription in subscribers)
            {
                try
                {
                    subscription.Handler(message);
                }
                catch (Exception)
                {
                    // One failing subscriber must not starve the others; consumers log their own failures.
                    RuntimeMetrics.BackgroundFailures.Add(1);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        var subscription = new Subscription(this, channel, handler);
        _subscriptions.AddOrUpdate(channel, _ => [subscription], (_, list) => list.Add(subscription));
        return Task.FromResult<IAsyncDisposable>(subscription);
    }

    public ValueTask DisposeAsync()
    {
        _subscriptions.Clear();
        return ValueTask.CompletedTask;
    }

    private void Remove(Subscription subscription)
    {
        while (_subscriptions.TryGetValue(subscription.Channel, out var list))
        {
            var updated = list.Remove(subscription);
            var done = updated.IsEmpty
                ? _subscriptions.TryRemove(new KeyValuePair<string, ImmutableArray<Subscription>>(subscription.Channel, list))
                : _subscriptions.TryUpdate(subscription.Channel, updated, list);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Subscription(InProcessBackplane owner, string channel, Action<ReadOnlyMemory<byte>> handler) : IAsyncDisposable
    {
        public string Channel { get; } = channel;

        public Action<ReadOnlyMemory<byte>> Handler { get; } = handler;

        public ValueTask DisposeAsync()
        {
            owner.Remove(this);
            return ValueTask.CompletedTask;
        }
    }
}
