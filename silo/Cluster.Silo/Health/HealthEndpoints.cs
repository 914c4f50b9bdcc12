using Cluster.Runtime.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Cluster.Silo.Health;

/// <summary>The probes an orchestrator or load balancer asks: is the process alive, and may it take traffic.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no check: a node whose database is down is alive, and restarting it would not help.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous();

        // Unhealthy answers 503; Degraded (backplane down) still answers 200 because messages are stored without it.
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ClusterHealth.ReadyTag),
                ResponseWriter = ReadinessResponse.WriteAsync,
            })
            .AllowAnonymous();
        return endpoints;
    }
}
