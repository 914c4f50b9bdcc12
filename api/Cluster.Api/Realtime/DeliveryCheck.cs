using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Realtime;

/// <summary>
/// Decides at delivery time (live push and Sync alike) whether a connection's user may still receive an event.
/// Audiences are fixed when an event is committed, and part of a patient's audience comes from the patient's own
/// grants, so every event about a conversation is checked again: it reaches the user only if the conversation lets
/// them read it now, as the role their token names. Two kinds of event are meant for the care side whatever it can
/// read now: queue notices (InboxChanged, ids and a reason only) and the Claimed and Transferred changes, which also
/// tell the members who just lost the conversation.
/// </summary>
public sealed class DeliveryCheck(IGrainFactory grains)
{
    private static readonly string InboxChangedType = nameof(InboxChanged);
    private static readonly string ConversationChangedType = nameof(ConversationChanged);

    public async ValueTask<bool> MayReceiveAsync(Actor actor, FeedEvent entry)
    {
        var (conversationId, change) = Read(entry);
        if (conversationId is null)
        {
            return true;
        }

        if (entry.Type == InboxChangedType)
        {
            return actor.IsCareTeam;
        }

        if (actor.IsCareTeam && change is nameof(ConversationChange.Claimed) or nameof(ConversationChange.Transferred))
        {
            return true;
        }

        return (await grains.GetGrain<IConversationGrain>(conversationId).GetAsync(actor)).IsOk;
    }

    private static (string? ConversationId, string? Change) Read(FeedEvent entry)
    {
        using var document = JsonDocument.Parse(entry.Payload);
        var root = document.RootElement;
        var id = root.TryGetProperty("conversationId", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var change = entry.Type == ConversationChangedType && root.TryGetProperty("change", out var kind) && kind.ValueKind == JsonValueKind.String
            ? kind.GetString()
            : null;
        return (id, change);
    }
}
