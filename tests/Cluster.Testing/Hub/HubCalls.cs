using System.Text.Json;
using Cluster.Api.Realtime;
using Cluster.Grains.Abstractions.Conversations;
using Xunit;

namespace Cluster.Testing.Hub;

/// <summary>Shorthands for the hub's calls and the pushes' data.</summary>
public static class HubCalls
{
    public static Task<HubResult<MessageSent>> SendMessageAsync(this HubClient hub, string conversationId, string body, string? clientMessageId = null) =>
        hub.CallAsync<MessageSent>(nameof(MessagingHub.SendMessage), new SendMessageArgs(conversationId, body, clientMessageId ?? "m-" + Guid.NewGuid().ToString("N")));

    public static Task<HubResult<ReadPosition>> MarkReadAsync(this HubClient hub, string conversationId, long upToSequence) =>
        hub.CallAsync<ReadPosition>(nameof(MessagingHub.MarkRead), new MarkReadArgs(conversationId, upToSequence));

    public static Task<HubResult<bool>> TypingAsync(this HubClient hub, string conversationId) =>
        hub.CallAsync<bool>(nameof(MessagingHub.Typing), new TypingArgs(conversationId));

    public static Task<HubResult<SyncPage>> SyncAsync(this HubClient hub, long after, int? limit = null) =>
        hub.CallAsync<SyncPage>(nameof(MessagingHub.Sync), new SyncArgs(after, limit));

    /// <summary>Every event after the cursor, following NextCursor while HasMore; answers the events and the final NextCursor.</summary>
    public static async Task<(List<ClientEvent> Events, long NextCursor)> SyncAllAsync(this HubClient hub, long after, int? limit = null)
    {
        var events = new List<ClientEvent>();
        var cursor = after;
        for (var page = 0; page < 1000; page++)
        {
            var result = await hub.SyncAsync(cursor, limit);
            Assert.True(result.Ok, $"Sync failed: {result.Error}");
            events.AddRange(result.Value!.Events);
            cursor = result.Value.NextCursor;
            if (!result.Value.HasMore)
            {
                return (events, cursor);
            }
        }

        throw new InvalidOperationException("Sync kept answering HasMore.");
    }

    /// <summary>Asserts the call succeeded and answers its value.</summary>
    public static T Value<T>(this HubResult<T> result)
    {
        Assert.True(result.Ok, $"Expected success, got {result.Error}");
        return result.Value!;
    }

    public static string? ConversationId(this ClientEvent e) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("conversationId", out var id) ? id.GetString() : null;

    public static bool IsAbout(this ClientEvent e, string conversationId) => e.ConversationId() == conversationId;

    /// <summary>The message of a MessageCreated event.</summary>
    public static MessageView Message(this ClientEvent e) => e.Data.GetProperty("message").Deserialize<MessageView>(HubClient.Json)!;
}
