using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Outbox;

/// <summary>
/// Publishes events that were committed but never published, because their node died or the backplane was
/// down. Every node runs it; a lease on each event keeps two nodes from relaying the same one.
/// </summary>
public sealed class OutboxRelay(
    IRuntimeStore store, IBackplane backplane, BackplaneChannels channels, TimeProvider clock, IOptions<ClusterOptions> options, ILogger<OutboxRelay> logger)
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
        var deliveries = await store.ClaimUnpublishedAsync(now - _options.RelayGrace, now, lease, _options.RelayBatchSize, cancellationToken);
        if (deliveries.Count == 0)
        {
            return 0;
        }

        var published = await OutboxPublisher.PublishAsync(store, backplane, channels, deliveries, logger, cancellationToken);
        RuntimeMetrics.EventsRelayed.Add(published);
        RuntimeLog.Relayed(logger, published);
        return published;
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
