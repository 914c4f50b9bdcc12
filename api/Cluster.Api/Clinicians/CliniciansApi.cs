using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Errors;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Clinicians;

/// <summary>Clinicians and staff: their profile, their inbox and their out-of-office. Only the caller's own inbox and absence are reachable.</summary>
public static class CliniciansApi
{
    public static RouteGroupBuilder MapClinicians(this RouteGroupBuilder api)
    {
        var clinicians = api.MapGroup("").WithTags("Clinicians");
        clinicians.MapGet("/inbox", InboxAsync).WithName("GetInbox");
        clinicians.MapPut("/out-of-office", (OutOfOfficeBody body, HttpContext http, IGrainFactory grains) =>
            SetOutOfOffice(http, grains, new OutOfOffice(body.From, body.Until, body.AutoReply ?? ""))).WithName("SetOutOfOffice");
        clinicians.MapDelete("/out-of-office", (HttpContext http, IGrainFactory grains) => SetOutOfOffice(http, grains, null)).WithName("ClearOutOfOffice");
        clinicians.MapGet("/clinicians/{id}", GetClinicianAsync).WithName("GetClinician");
        return api;
    }

    /// <summary>The caller's conversations awaiting their reply in <see cref="WorkOrder"/> (urgent, escalated, then by deadline); ones they can no longer see are left out.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ConversationView>>, ProblemHttpResult>> InboxAsync(HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        var ids = await grains.GetGrain<IClinicianGrain>(actor.UserId).GetInboxAsync(actor);
        if (!ids.IsOk)
        {
            return ids.Problem!.ToHttp();
        }

        var views = await Task.WhenAll(ids.Value!.Select(id => grains.GetGrain<IConversationGrain>(id).GetAsync(actor)));
        return TypedResults.Ok(WorkOrder.Sort(views.Where(v => v.IsOk).Select(v => v.Value!)));
    }

    private static async Task<Results<Ok<ClinicianView>, ProblemHttpResult>> GetClinicianAsync(string id, HttpContext http, IGrainFactory grains) =>
        UserIdInput.Check(id, "The id in the path") is { } invalid
            ? invalid
            : await ConversationsApi.Respond(grains.GetGrain<IClinicianGrain>(id).GetAsync(http.User.ToActor()));

    private static Task<Results<Ok<ClinicianView>, ProblemHttpResult>> SetOutOfOffice(HttpContext http, IGrainFactory grains, OutOfOffice? outOfOffice)
    {
        var actor = http.User.ToActor();
        return ConversationsApi.Respond(grains.GetGrain<IClinicianGrain>(actor.UserId).SetOutOfOfficeAsync(actor, outOfOffice));
    }
}
