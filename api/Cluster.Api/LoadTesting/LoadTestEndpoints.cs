using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.LoadTesting;

/// <summary>What the node reports about its memory to a load test.</summary>
/// <param name="ManagedBytes">Bytes of the managed heap in use after a full, compacting collection.</param>
/// <param name="WorkingSetBytes">The process's resident memory.</param>
public sealed record NodeMemory(long ManagedBytes, long WorkingSetBytes);

/// <summary>
/// Endpoints that exist only for load tests (<c>Api:LoadTestEndpoints</c>): the echo hub and a memory probe. Both require a
/// valid token like everything else; a production node leaves them unmapped.
/// </summary>
public static class LoadTestEndpoints
{
    public const string MemoryPath = "/loadtest/memory";

    public static WebApplication MapLoadTestEndpoints(this WebApplication app)
    {
        app.MapHub<EchoHub>(EchoHub.Path, hub => hub.Transports = HttpTransportType.WebSockets);
        app.MapGet(MemoryPath, static () =>
        {
            // A full blocking collection first, so that the figure is live data and not garbage awaiting the next GC.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var process = Process.GetCurrentProcess();
            return TypedResults.Ok(new NodeMemory(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64));
        });
        return app;
    }
}
