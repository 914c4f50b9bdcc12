using System.Collections.Concurrent;
using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Outbox;
using Cluster.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Activation;

/// <summary>
/// This node's activations. A grain activates on the first call that reaches this node, whatever other
/// nodes hold; ETag checks keep concurrent activations correct and invalidations keep them fresh.
/// </summary>
public sealed class Catalog : IAsyncDisposable
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly GrainRegistry _registry;
    private readonly OutboxPublisher _publisher;
    private readonly IBackplane _backplane;
    private readonly BackplaneChannels _channels;
    private readonly string _nodeId;
    private IAsyncDisposable? _invalidationSubscription;

    public Catalog(
        GrainRegistry registry,
        IRuntimeStore store,
        OutboxPublisher publisher,
        IBackplane backplane,
        BackplaneChannels channels,
        IServiceProvider services,
        TimeProvider clock,
        IOptions<ClusterOptions> options,
        ILogger<Catalog> logger)
    {
        _registry = registry;
        Store = store;
        _publisher = publisher;
        _backplane = backplane;
        _channels = channels;
        Services = services;
        Clock = clock;
        Options = options.Value.Runtime;
        _nodeId = options.Value.NodeId;
        Logger = logger;
        Rows = new RowReader(store);
        GrainFactory = new GrainFactory(this, registry);
    }

    public int ActivationCount => _activations.Count;

    internal IGrainFactory GrainFactory { get; }

    internal IRuntimeStore Store { get; }

    internal IServiceProvider Services { get; }

    internal TimeProvider Clock { get; }

    internal RuntimeOptions Options { get; }

    internal ILogger Logger { get; }

    internal IRowReader Rows { get; }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _invalidationSubscription = await _backplane.SubscribeAsync(_channels.Invalidations, OnInvalidation, cancellationToken);

    /// <summary>Runs a call as a turn on the grain's activation, creating the activation if needed.</summary>
    internal async Task<object?> InvokeAsync(GrainId id, TurnRequest request)
    {
        var grainClass = _registry.ForName(id.Type);
        while (true)
        {
            var activation = _activations.GetOrAdd(id, static (key, state) => new GrainActivation(state.Catalog, key, state.Class), (Catalog: this, Class: grainClass));
            if (activation.TryEnqueue(request))
            {
                break;
            }

            // Closed by the idle collector between lookup and enqueue: drop it and take a fresh one.
            _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(id, activation));
        }

        try
        {
            return await request.Completion.WaitAsync(Options.CallTimeout);
        }
        catch (TimeoutException)
        {
            throw new GrainCallTimeoutException(id.ToString(), request.Method, Options.CallTimeout);
        }
    }

    /// <summary>Delivers a due reminder as a turn; the turn's commit removes the reminder.</summary>
    internal Task<object?> InvokeReminderAsync(DueReminder reminder) =>
        InvokeAsync(reminder.Grain, new TurnRequest(nameof(IRemindable.ReceiveReminderAsync), async instance =>
        {
            if (instance is not IRemindable remindable)
            {
                throw new InvalidOperationException($"Grain {reminder.Grain} has a reminder but does not implement IRemindable.");
            }

            await remindable.ReceiveReminderAsync(reminder.Name, reminder.DueAt);
            return null;
        }, new FiredReminder(reminder.Name, reminder.DueAt)));

    /// <summary>Deactivates activations idle for longer than the idle timeout; returns how many.</summary>
    public int CollectIdle()
    {
        var idleSince = Clock.GetUtcNow() - Options.IdleTimeout;
        var collected = 0;
        foreach (var (id, activation) in _activations)
        {
            if (activation.TryClose(idleSince) && _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(id, activation)))
            {
                collected++;
            }
        }

        if (collected > 0)
        {
            RuntimeMetrics.Deactivations.Add(collected);
            RuntimeLog.Collected(Logger, collected);
        }

        return collected;
    }

    /// <summary>Waits until no turn is queued or running, or the token fires; returns how many activations were still busy.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var busy = _activations.Values.Count(a => !a.IsIdle);
            if (busy == 0 || cancellationToken.IsCancellationRequested)
            {
                return busy;
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    internal void OnCommitted(GrainId id, CommitResult result)
    {
        _publisher.Enqueue(result.Deliveries);
        _ = BroadcastInvalidationAsync(id, result.ETag);
    }

    public async ValueTask DisposeAsync()
    {
        if (_invalidationSubscription is not null)
        {
            await _invalidationSubscription.DisposeAsync();
        }
    }

    private async Task BroadcastInvalidationAsync(GrainId id, long etag)
    {
        if (!_backplane.IsConnected)
        {
            // Only an optimisation, and the backplane is known to be down: skip it rather than log a failure per commit.
            return;
        }

        try
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(new Invalidation(_nodeId, id.Type, id.Key, etag), RuntimeJson.Options);
            await _backplane.PublishAsync(_channels.Invalidations, message);
        }
        catch (Exception ex)
        {
            // Only an optimisation: the ETag check still catches the stale activation on its next write.
            RuntimeMetrics.BackgroundFailures.Add(1);
            RuntimeLog.InvalidationFailed(Logger, ex, id.ToString());
        }
    }

    private void OnInvalidation(ReadOnlyMemory<byte> message)
    {
        try
        {
            var invalidation = JsonSerializer.Deserialize<Invalidation>(message.Span, RuntimeJson.Options);
            if (invalidation is not null && invalidation.Node != _nodeId
                && _activations.TryGetValue(new GrainId(invalidation.Type, invalidation.Key), out var activation))
            {
                activation.Invalidate(invalidation.ETag);
            }
        }
        catch (JsonException ex)
        {
            RuntimeMetrics.BackgroundFailures.Add(1);
            RuntimeLog.InvalidationUnreadable(Logger, ex);
        }
    }

    private sealed record Invalidation(string Node, string Type, string Key, long ETag);
}
