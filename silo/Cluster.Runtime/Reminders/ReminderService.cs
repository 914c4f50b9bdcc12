using Cluster.Runtime.Activation;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Reminders;

/// <summary>
/// Claims due reminders from the shared table and delivers each as a turn. A claim is a lease: if this node
/// dies before the turn commits, another node fires the reminder once the lease ends.
/// </summary>
public sealed class ReminderService(
    IRuntimeStore store, Catalog catalog, TimeProvider clock, IOptions<ClusterOptions> options, ILogger<ReminderService> logger)
{
    private readonly RuntimeOptions _options = options.Value.Runtime;
    private readonly string _nodeId = options.Value.NodeId;

    /// <summary>One poll: claims what is due and waits for those turns; returns how many fired.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var due = await store.ClaimDueRemindersAsync(clock.GetUtcNow(), _nodeId, _options.ReminderLease, _options.ReminderBatchSize, cancellationToken);
        var fired = await Task.WhenAll(due.Select(FireAsync));
        return fired.Count(ok => ok);
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReminderPollInterval, stoppingToken);
                while (await PollOnceAsync(stoppingToken) >= _options.ReminderBatchSize)
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
                RuntimeLog.ReminderPollFailed(logger, ex);
            }
        }
    }

    private async Task<bool> FireAsync(DueReminder reminder)
    {
        try
        {
            await catalog.InvokeReminderAsync(reminder);
            RuntimeMetrics.RemindersFired.Add(1);
            return true;
        }
        catch (Exception ex)
        {
            RuntimeMetrics.BackgroundFailures.Add(1);
            RuntimeLog.ReminderFailed(logger, ex, reminder.Grain.ToString(), reminder.Name);
            return false;
        }
    }
}
