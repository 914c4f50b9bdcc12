using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Outbox;
using Cluster.Runtime.Reminders;
using Cluster.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Starts a node (schema, backplane, background loops) and stops it in the reverse order.</summary>
#pragma warning disable CA2213 // See Dispose: the token sources are cancelled, never disposed.
public sealed class ClusterNodeService(
    IRuntimeStore store,
    IBackplane backplane,
    Catalog catalog,
    OutboxPublisher publisher,
    OutboxRelay relay,
    ReminderService reminders,
    IOptions<ClusterOptions> options,
    ILogger<ClusterNodeService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _publisherStopping = new();
    private readonly List<Task> _loops = [];
    private int _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await backplane.StartAsync(cancellationToken);
        await catalog.StartAsync(cancellationToken);
        _loops.Add(Task.Run(() => publisher.RunAsync(_publisherStopping.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => relay.RunAsync(_stopping.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => reminders.RunAsync(_stopping.Token), CancellationToken.None));
        _loops.Add(Task.Run(() => CollectIdleAsync(_stopping.Token), CancellationToken.None));
        RuntimeLog.NodeStarted(logger, options.Value.NodeId, store.Describe(), options.Value.Backplane.Provider.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Hosts may stop a service more than once, or after disposing it when start-up failed.
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        RuntimeLog.NodeStopping(logger, options.Value.NodeId);
        // Stop claiming reminders and relaying first, then let in-flight turns commit, then flush their events.
        _stopping.Cancel();
        var unfinished = await catalog.DrainAsync(cancellationToken);
        if (unfinished > 0)
        {
            RuntimeLog.StoppedWithBusyActivations(logger, unfinished);
        }

        _publisherStopping.Cancel();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await catalog.DisposeAsync();
        await backplane.DisposeAsync();
    }

    /// <summary>
    /// Only cancels: a host may dispose the service while another caller's StopAsync still runs, so nothing that
    /// StopAsync uses is freed here. The token sources own no timers and need no disposing.
    /// </summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _publisherStopping.Cancel();
    }

    /// <summary>Waits for the store for a while (nodes often start before their database), then gives up with the reason.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (true)
        {
            try
            {
                await store.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is Grains.Abstractions.StorageUnavailableException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Storage {store.Describe()} could not be prepared: {ex.Message}", ex);
            }
        }
    }

    private async Task CollectIdleAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(options.Value.Runtime.IdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                catalog.CollectIdle();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
#pragma warning restore CA2213
