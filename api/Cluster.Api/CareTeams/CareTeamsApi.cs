using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.CareTeams;

/// <summary>Care teams (pools) and their queues; only members and administrators see them, anyone else gets 404.</summary>
public static class CareTeamsApi
{
    public static RouteGroupBuilder MapCareTeams(this RouteGroupBuilder api)
    {
        var careTeams = api.MapGroup("/care-teams").WithTags("Care teams");
        careTeams.MapGet("/{id}", (string id, HttpContext http, IGrainFactory grains) =>
            ConversationsApi.Respond(Grain(grains, id).GetAsync(http.User.ToActor()))).WithName("GetCareTeam");
        careTeams.MapGet("/{id}/queue", (string id, HttpContext http, IGrainFactory grains) =>
            ConversationsApi.Respond(Grain(grains, id).GetQueueAsync(http.User.ToActor()))).WithName("GetCareTeamQueue");
        return api;
    }

    private static ICareTeamGrain Grain(IGrainFactory grains, string id) => grains.GetGrain<ICareTeamGrain>(id);
}
