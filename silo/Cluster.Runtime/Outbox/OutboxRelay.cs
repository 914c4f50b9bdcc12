using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Outbox;

/// <summary>
/// Publishes events that were committed but never published, because their node died or the backplane was
/// down. Every node runs it; a lease on each event keeps two nodes from relaying the same one. It works in
/// batches of <see cref="RuntimeOptions.RelayBatchSize"/> events, so a long backlog never sits in memory at once.
/// </summary>
public sealed class OutboxRelay(
    IRuntimeStore store, IBackplane backplane, OutboxPublisher publisher, TimeProvider clock, IOptions<ClusterOptions> options, ILogger<OutboxRelay> logger)
{
    private readonly RuntimeOptions _options = options.Value.Runtime;

    /// <summary>One relay pass; returns how many events it published.</summary>
    public async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        if (!backplane.IsConnected)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var lease = _options.RelayGrace + _options.RelayGrace;
        var deliveries = await store.ClaimUnpublishedAsync(Cutoff(now), now, lease, _options.RelayBatchSize, cancellationToken);
        if (deliveries.Count == 0)
        {
            return 0;
        }

        var published = await publisher.PublishAsync(deliveries, cancellationToken);
        RuntimeMetrics.EventsRelayed.Add(published);
        RuntimeLog.Relayed(logger, published);
        return published;
    }

    /// <summary>
    /// Events created before the cutoff are relayed. An unpublished event younger than the grace may still be on its way
    /// through its node's publisher, so by default only older ones count as left behind. But when this node itself failed
    /// to publish (the backplane was down), everything created before that failure is known to be left behind: relaying it
    /// at once, rather than up to the grace later, is what lets clients converge soon after the backplane returns. An event
    /// still in flight elsewhere may go out twice; delivery is at-least-once and clients dedupe by event id.
    /// </summary>
    private DateTimeOffset Cutoff(DateTimeOffset now)
    {
        var cutoff = now - _options.RelayGrace;
        return publisher.LastFailureAt is { } failedAt && failedAt > cutoff ? (failedAt < now ? failedAt : now) : cutoff;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RelayInterval, stoppingToken);
                while (await RelayOnceAsync(stoppingToken) >= _options.RelayBatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                RuntimeMetrics.BackgroundFailures.Add(1);
                RuntimeLog.RelayFailed(logger, ex);
            }
        }
    }
}
