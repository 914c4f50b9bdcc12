using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Realtime;

/// <summary>
/// Decides at delivery time whether a user may still receive an event. Audiences are fixed when an event is
/// committed; the one role whose access another person can take away between commit and delivery is the proxy
/// (revoked, expired, or a conversation made private), so proxies are checked again against the conversation.
/// </summary>
public sealed class DeliveryCheck(IGrainFactory grains)
{
    public async ValueTask<bool> MayReceiveAsync(Actor actor, FeedEvent entry)
    {
        if (actor.Role != UserRole.Proxy || ConversationOf(entry) is not { } conversationId)
        {
            return true;
        }

        return (await grains.GetGrain<IConversationGrain>(conversationId).GetAsync(actor)).IsOk;
    }

    private static string? ConversationOf(FeedEvent entry)
    {
        using var document = JsonDocument.Parse(entry.Payload);
        return document.RootElement.TryGetProperty("conversationId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
