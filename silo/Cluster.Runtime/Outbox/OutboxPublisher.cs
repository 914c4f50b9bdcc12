using System.Text.Json;
using System.Threading.Channels;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Outbox;

/// <summary>
/// Publishes committed feed entries to the backplane right after commit, then marks their events published
/// in batches. What it cannot publish stays unpublished for the relay.
/// </summary>
public sealed class OutboxPublisher(IRuntimeStore store, IBackplane backplane, BackplaneChannels channels, ILogger<OutboxPublisher> logger)
{
    private const int MaxBatch = 512;
    private readonly Channel<IReadOnlyList<FeedEvent>> _queue = Channel.CreateUnbounded<IReadOnlyList<FeedEvent>>(new() { SingleReader = true });

    public void Enqueue(IReadOnlyList<FeedEvent> deliveries)
    {
        if (deliveries.Count > 0)
        {
            _queue.Writer.TryWrite(deliveries);
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
            await PublishAsync(store, backplane, channels, batch, logger, cancellationToken);
        }
    }

    /// <summary>Publishes each entry to its user's channel and marks the events whose every entry went out.</summary>
    internal static async Task<int> PublishAsync(
        IRuntimeStore store, IBackplane backplane, BackplaneChannels channels, IReadOnlyList<FeedEvent> deliveries, ILogger logger, CancellationToken cancellationToken)
    {
        var failed = new HashSet<Guid>();
        foreach (var delivery in deliveries)
        {
            try
            {
                await backplane.PublishAsync(channels.Feed(delivery.UserId), JsonSerializer.SerializeToUtf8Bytes(delivery, RuntimeJson.Options), cancellationToken);
            }
            catch (Exception ex)
            {
                RuntimeMetrics.PublishFailures.Add(1);
                if (failed.Add(delivery.EventId) && failed.Count == 1)
                {
                    RuntimeLog.PublishFailed(logger, ex, deliveries.Count);
                }
            }
        }

        var published = deliveries.Select(d => d.EventId).Where(id => !failed.Contains(id)).ToHashSet();
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
}
