using Cluster.Runtime.Backplane;
using Cluster.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cluster.Runtime.Hosting;

/// <summary>Names shared by the runtime's health checks and the endpoints that run them.</summary>
public static class ClusterHealth
{
    /// <summary>The tag of the checks that decide readiness (/readyz).</summary>
    public const string ReadyTag = "ready";
}

/// <summary>
/// Ready when the store answers a query within two seconds. /readyz is anonymous, so the description names the engine
/// only: a file path or a database host is for the start-up log.
/// </summary>
public sealed class StorageHealthCheck(IRuntimeStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await store.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy(store.Engine);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{store.Engine} unreachable: {ex.GetType().Name}");
        }
    }
}

/// <summary>Ready when the backplane is connected. Degraded, not down: messages are still stored without it.</summary>
public sealed class BackplaneHealthCheck(IBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.IsConnected
            ? HealthCheckResult.Healthy(backplane.GetType().Name)
            : HealthCheckResult.Degraded($"{backplane.GetType().Name} disconnected; live delivery paused, catch-up still works"));
}
