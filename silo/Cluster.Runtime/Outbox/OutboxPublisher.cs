using System.Text.Json;
using System.Threading.Channels;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Outbox;

/// <summary>
/// Publishes committed feed entries to the backplane right after commit, then marks their events published
/// in batches. What it cannot publish stays unpublished for the relay.
/// </summary>
public sealed class OutboxPublisher(IRuntimeStore store, IBackplane backplane, BackplaneChannels channels, TimeProvider clock, ILogger<OutboxPublisher> logger)
{
    private const int MaxBatch = 512;

    /// <summary>
    /// Commits waiting to be published, at most. Bounded so that a stalled backplane cannot grow the node's memory: a commit
    /// that does not fit is left in the outbox (committed, unpublished) and counts as a failed publish, so the relay sends it.
    /// </summary>
    internal const int QueueCapacity = 10_000;

    // FullMode.Wait only matters for WriteAsync; TryWrite refuses when full, which is what Enqueue needs to see.
    private readonly Channel<IReadOnlyList<FeedEvent>> _queue = Channel.CreateBounded<IReadOnlyList<FeedEvent>>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _lastFailureTicks = long.MinValue;

    /// <summary>
    /// When this node last left committed events unpublished (the backplane refused or stalled, or the queue was full); null
    /// if never. Every such event was created before this moment, so the relay may publish them without waiting for the
    /// crash grace.
    /// </summary>
    public DateTimeOffset? LastFailureAt =>
        Interlocked.Read(ref _lastFailureTicks) is var ticks && ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    public void Enqueue(IReadOnlyList<FeedEvent> deliveries)
    {
        if (deliveries.Count > 0 && !_queue.Writer.TryWrite(deliveries))
        {
            RuntimeMetrics.PublishFailures.Add(deliveries.Count);
            NoteFailure();
        }
    }

    /// <summary>Publishes until <paramref name="stoppingToken"/> fires, then drains what was already queued.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<FeedEvent>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await DrainAsync(batch, CancellationToken.None);
        }
    }

    private async Task DrainAsync(List<FeedEvent> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var deliveries))
        {
            batch.AddRange(deliveries);
        }

        if (batch.Count > 0)
        {
            await PublishAsync(batch, cancellationToken);
        }
    }

    /// <summary>Publishes each entry to its user's channel and marks the events whose every entry went out.</summary>
    internal async Task<int> PublishAsync(IReadOnlyList<FeedEvent> deliveries, CancellationToken cancellationToken)
    {
        int sent;
        if (backplane.IsConnected)
        {
            sent = await SendUntilFailureAsync(deliveries, cancellationToken);
        }
        else
        {
            // Known down (the backplane logged it and readiness reports it): leave the batch to the relay without trying,
            // and without a warning per batch for the whole outage.
            sent = 0;
            NoteFailure();
            RuntimeMetrics.PublishFailures.Add(deliveries.Count);
        }

        var failed = deliveries.Skip(sent).Select(d => d.EventId).ToHashSet();
        var published = deliveries.Take(sent).Select(d => d.EventId).Where(id => !failed.Contains(id)).ToHashSet();
        try
        {
            await store.MarkPublishedAsync(published, cancellationToken);
        }
        catch (Exception ex)
        {
            // Published but not marked: the relay publishes them again later, and consumers dedupe by event id.
            RuntimeMetrics.BackgroundFailures.Add(1);
            RuntimeLog.PublishFailed(logger, ex, published.Count);
        }

        RuntimeMetrics.EventsPublished.Add(published.Count);
        return published.Count;
    }

    /// <summary>Publishes entries in order until one fails; returns how many went out.</summary>
    private async Task<int> SendUntilFailureAsync(IReadOnlyList<FeedEvent> deliveries, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < deliveries.Count; sent++)
        {
            var delivery = deliveries[sent];
            try
            {
                await backplane.PublishAsync(channels.Feed(delivery.UserId), JsonSerializer.SerializeToUtf8Bytes(delivery, RuntimeJson.Options), cancellationToken);
            }
            catch (Exception ex)
            {
                // The backplane went down or stalled, and the rest of the batch would fail the same way (a stalled one only
                // after a timeout each). Leave them all unpublished; the relay sends them once the backplane is back.
                NoteFailure();
                RuntimeMetrics.PublishFailures.Add(deliveries.Count - sent);
                RuntimeLog.PublishFailed(logger, ex, deliveries.Count - sent);
                return sent;
            }
        }

        return deliveries.Count;
    }

    private void NoteFailure() => Interlocked.Exchange(ref _lastFailureTicks, clock.GetUtcNow().UtcTicks);
}
