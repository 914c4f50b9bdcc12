using Cluster.Api.Auth;
using Cluster.Api.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Sync;

/// <summary>GET /api/v1/sync?after=CURSOR&amp;limit=N: the caller's events after a cursor, in order, with the next cursor.</summary>
public static class SyncApi
{
    public static RouteGroupBuilder MapSync(this RouteGroupBuilder api)
    {
        api.MapGet("/sync", ReadAsync).WithTags("Sync").WithName("Sync");
        return api;
    }

    private static async Task<Ok<SyncPage>> ReadAsync(HttpContext http, CatchUp catchUp, long? after, int? limit) =>
        TypedResults.Ok(await catchUp.ReadAsync(http.User.ToActor(), after ?? 0, limit, http.RequestAborted));
}
