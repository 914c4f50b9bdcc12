using System.Collections.Frozen;
using System.Text.Json;
using Cluster.Grains.Abstractions.Feed;

namespace Cluster.Api.Realtime;

/// <summary>Turns feed entries into pushes: the wire shape, and the client method of each event type.</summary>
public static class ClientEvents
{
    private static readonly FrozenDictionary<string, Func<IMessagingClient, ClientEvent, Task>> Methods =
        new Dictionary<string, Func<IMessagingClient, ClientEvent, Task>>(StringComparer.Ordinal)
        {
            [nameof(IMessagingClient.MessageCreated)] = (c, e) => c.MessageCreated(e),
            [nameof(IMessagingClient.ReadConfirmation)] = (c, e) => c.ReadConfirmation(e),
            [nameof(IMessagingClient.Typing)] = (c, e) => c.Typing(e),
            [nameof(IMessagingClient.ConversationChanged)] = (c, e) => c.ConversationChanged(e),
            [nameof(IMessagingClient.InboxChanged)] = (c, e) => c.InboxChanged(e),
            [nameof(IMessagingClient.UrgentMessage)] = (c, e) => c.UrgentMessage(e),
            [nameof(IMessagingClient.UnreadAlert)] = (c, e) => c.UnreadAlert(e),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static ClientEvent From(FeedEvent entry)
    {
        using var document = JsonDocument.Parse(entry.Payload);
        return new ClientEvent(entry.EventId, entry.Cursor, entry.Type, entry.CreatedAt, document.RootElement.Clone());
    }

    /// <summary>Pushes the event to one client; false for event types clients do not receive.</summary>
    public static bool TryPush(IMessagingClient client, ClientEvent e, out Task sent)
    {
        if (Methods.TryGetValue(e.Type, out var method))
        {
            sent = method(client, e);
            return true;
        }

        sent = Task.CompletedTask;
        return false;
    }

    public static bool IsClientEvent(string type) => Methods.ContainsKey(type);
}
