using Cluster.Api.Auth;
using Cluster.Api.Errors;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cluster.Api.Conversations;

/// <summary>Conversations and their messages. The actor is always the token's subject; a conversation the caller may not see is 404.</summary>
public static class ConversationsApi
{
    private const int DefaultPage = 50;

    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapPost("", StartAsync).WithName("StartConversation");
        conversations.MapGet("", ListAsync).WithName("ListConversations");
        conversations.MapGet("/{id}", GetAsync).WithName("GetConversation");
        conversations.MapGet("/{id}/messages", MessagesAsync).WithName("GetMessages");
        conversations.MapPost("/{id}/messages", SendAsync).WithName("SendMessage");
        conversations.MapPost("/{id}/read", MarkReadAsync).WithName("MarkRead");
        conversations.MapPost("/{id}/close", (string id, CloseBody? body, HttpContext http, IGrainFactory grains) =>
            Respond(Grain(grains, id).CloseAsync(new CloseRequest(http.User.ToActor(), body?.ClosingMessage, body?.ClientMessageId)))).WithName("CloseConversation");
        conversations.MapPost("/{id}/reopen", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(Grain(grains, id).ReopenAsync(http.User.ToActor()))).WithName("ReopenConversation");
        conversations.MapPost("/{id}/claim", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(Grain(grains, id).ClaimAsync(http.User.ToActor()))).WithName("ClaimConversation");
        conversations.MapPost("/{id}/release", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(Grain(grains, id).ReleaseAsync(http.User.ToActor()))).WithName("ReleaseConversation");
        conversations.MapPost("/{id}/transfer", TransferAsync).WithName("TransferConversation");
        conversations.MapPut("/{id}/privacy", (string id, PrivacyBody body, HttpContext http, IGrainFactory grains) =>
            Respond(Grain(grains, id).SetPrivateAsync(http.User.ToActor(), body.Private))).WithName("SetConversationPrivacy");
        return api;
    }

    private static async Task<Results<Created<StartedConversation>, Ok<StartedConversation>, ProblemHttpResult>> StartAsync(
        StartConversationBody body, HttpContext http, IGrainFactory grains)
    {
        if (UserIdInput.Check(body.PatientId, "patientId") is { } invalid)
        {
            return invalid;
        }

        var actor = http.User.ToActor();
        var patientId = body.PatientId ?? (actor.Role == UserRole.Patient ? actor.UserId : null);
        if (patientId is null || body.ClientMessageId is not { Length: > 0 })
        {
            return Problem.Invalid("Name the patient (patientId) and give the first message a clientMessageId.").ToHttp();
        }

        var id = ConversationIds.For(patientId, actor.UserId, body.ClientMessageId);
        var outcome = await Grain(grains, id).StartAsync(
            new StartConversationRequest(actor, patientId, body.Topic, body.Subject ?? "", body.Body ?? "", body.ClientMessageId, body.Private));
        if (!outcome.IsOk)
        {
            return outcome.Problem!.ToHttp();
        }

        var started = new StartedConversation(id, outcome.Value!);
        return started.Started.Duplicate ? TypedResults.Ok(started) : TypedResults.Created($"/api/v1/conversations/{id}", started);
    }

    /// <summary>The conversations of a patient (the caller, or the patient a proxy names), newest first; ones the caller may not see are left out.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ConversationView>>, ProblemHttpResult>> ListAsync(string? patientId, HttpContext http, IGrainFactory grains)
    {
        if (UserIdInput.Check(patientId, "patientId") is { } invalid)
        {
            return invalid;
        }

        var actor = http.User.ToActor();
        var patient = patientId ?? (actor.Role == UserRole.Patient ? actor.UserId : null);
        if (patient is null)
        {
            return Problem.Invalid("Name the patient whose conversations to list (patientId).").ToHttp();
        }

        var ids = await grains.GetGrain<IPatientGrain>(patient).ListConversationsAsync(actor);
        if (!ids.IsOk)
        {
            return ids.Problem!.ToHttp();
        }

        var views = await Task.WhenAll(ids.Value!.Select(id => Grain(grains, id).GetAsync(actor)));
        return TypedResults.Ok<IReadOnlyList<ConversationView>>(views.Where(v => v.IsOk).Select(v => v.Value!).OrderByDescending(v => v.LastActivityAt).ToList());
    }

    private static Task<Results<Ok<ConversationView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IGrainFactory grains) =>
        Respond(Grain(grains, id).GetAsync(http.User.ToActor()));

    /// <summary>?after=SEQ pages forward (oldest first); ?before=SEQ pages backward; neither gives the first page.</summary>
    private static Task<Results<Ok<MessagePage>, ProblemHttpResult>> MessagesAsync(string id, long? after, long? before, int? limit, HttpContext http, IGrainFactory grains) =>
        Respond(Grain(grains, id).GetMessagesAsync(http.User.ToActor(), after, before, limit ?? DefaultPage));

    private static async Task<Results<Created<MessageSent>, Ok<MessageSent>, ProblemHttpResult>> SendAsync(string id, SendMessageBody body, HttpContext http, IGrainFactory grains)
    {
        var outcome = await Grain(grains, id).SendAsync(new SendMessageRequest(http.User.ToActor(), body.Body ?? "", body.ClientMessageId ?? ""));
        if (!outcome.IsOk)
        {
            return outcome.Problem!.ToHttp();
        }

        var sent = outcome.Value!;
        return sent.Duplicate ? TypedResults.Ok(sent) : TypedResults.Created($"/api/v1/conversations/{id}/messages?after={sent.Message.Sequence - 1}&limit=1", sent);
    }

    private static async Task<Results<Ok<ConversationView>, ProblemHttpResult>> TransferAsync(string id, TransferBody body, HttpContext http, IGrainFactory grains)
    {
        if (UserIdInput.Check(body.ClinicianId, "clinicianId") is { } invalid)
        {
            return invalid;
        }

        return await Respond(Grain(grains, id).TransferAsync(new TransferRequest(http.User.ToActor(), body.CareTeamId, body.ClinicianId)));
    }

    private static Task<Results<Ok<ReadPosition>, ProblemHttpResult>> MarkReadAsync(string id, MarkReadBody body, HttpContext http, IGrainFactory grains) =>
        Respond(Grain(grains, id).MarkReadAsync(new MarkReadRequest(http.User.ToActor(), body.UpToSequence)));

    private static IConversationGrain Grain(IGrainFactory grains, string id) => grains.GetGrain<IConversationGrain>(id);

    internal static async Task<Results<Ok<T>, ProblemHttpResult>> Respond<T>(Task<Outcome<T>> pending)
    {
        var outcome = await pending;
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToHttp();
    }
}
