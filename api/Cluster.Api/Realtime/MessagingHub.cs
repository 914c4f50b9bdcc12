using System.Text.Json;
using Cluster.Api.Auth;
using Cluster.Api.Sync;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Outcomes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Cluster.Api.Realtime;

/// <summary>
/// The real-time surface. Calls: SendMessage, MarkRead, Typing, Sync; every call answers a <see cref="HubResult{T}"/>.
/// Pushes: the events of <see cref="IMessagingClient"/>, each with its event id and feed cursor.
/// </summary>
[Authorize]
public sealed class MessagingHub(
    IGrainFactory grains, IUserEventFeed feed, ConnectionFeeds connections, CatchUp catchUp, TypingThrottle typing)
    : Hub<IMessagingClient>
{
    public override async Task OnConnectedAsync()
    {
        var actor = Context.User!.ToActor();
        if (!connections.TryAdmit(actor.UserId))
        {
            Context.Abort();
            return;
        }

        await connections.AttachAsync(Context.ConnectionId, actor);
    }

    public override Task OnDisconnectedAsync(Exception? exception) =>
        connections.DetachAsync(Context.ConnectionId, Context.User!.ToActor().UserId);

    public async Task<HubResult<MessageSent>> SendMessage(SendMessageArgs args)
    {
        if (Invalid<MessageSent>(args, args?.ConversationId) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Conversation(args!.ConversationId).SendAsync(new SendMessageRequest(Context.User!.ToActor(), args.Body ?? "", args.ClientMessageId ?? ""));
        return HubResult<MessageSent>.From(outcome);
    }

    public async Task<HubResult<ReadPosition>> MarkRead(MarkReadArgs args)
    {
        if (Invalid<ReadPosition>(args, args?.ConversationId) is { } invalid)
        {
            return invalid;
        }

        return HubResult<ReadPosition>.From(await Conversation(args!.ConversationId).MarkReadAsync(new MarkReadRequest(Context.User!.ToActor(), args.UpToSequence)));
    }

    /// <summary>Tells the other participants the caller is typing. Throttled; never stored; a throttled call still answers true.</summary>
    public async Task<HubResult<bool>> Typing(TypingArgs args)
    {
        if (Invalid<bool>(args, args?.ConversationId) is { } invalid)
        {
            return invalid;
        }

        // Access first: a throttled answer must not tell a stranger "ok" about a conversation they may not see.
        var actor = Context.User!.ToActor();
        var participants = await Conversation(args!.ConversationId).GetParticipantsAsync(actor);
        if (!participants.IsOk)
        {
            return HubResult<bool>.Failure(HubError.From(participants.Problem!));
        }

        if (!typing.TryPass(actor.UserId, args.ConversationId))
        {
            return HubResult<bool>.Success(true);
        }

        var others = participants.Value!.Where(u => u != actor.UserId).ToList();
        var notice = JsonSerializer.Serialize(new TypingNotice(args.ConversationId, actor.UserId), JsonSerializerOptions.Web);
        await feed.PublishTransientAsync(others, HubNames.Typing, notice, Context.ConnectionAborted);
        return HubResult<bool>.Success(true);
    }

    /// <summary>Every event of the caller after <paramref name="args"/>.After, in order; call again from NextCursor while HasMore.</summary>
    public async Task<HubResult<SyncPage>> Sync(SyncArgs args)
    {
        if (args?.Unreadable is { } unreadable)
        {
            return HubResult<SyncPage>.Failure(new HubError(ErrorCodes.InvalidRequest, unreadable, null));
        }

        return HubResult<SyncPage>.Success(await catchUp.ReadAsync(Context.User!.ToActor(), args?.After ?? 0, args?.Limit, Context.ConnectionAborted));
    }

    private IConversationGrain Conversation(string id) => grains.GetGrain<IConversationGrain>(id);

    // An argument that could not be read says why (naming the field); otherwise the conversation must be named.
    private static HubResult<T>? Invalid<T>(IHubArguments? args, string? conversationId) =>
        args?.Unreadable is { } unreadable
            ? HubResult<T>.Failure(new HubError(ErrorCodes.InvalidRequest, unreadable, null))
            : string.IsNullOrWhiteSpace(conversationId) || conversationId.Length > 200
                ? HubResult<T>.Failure(new HubError(ErrorCodes.InvalidRequest, "Name the conversation (conversationId).", null))
                : null;
}
