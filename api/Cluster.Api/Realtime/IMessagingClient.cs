using System.Text.Json;

namespace Cluster.Api.Realtime;

/// <summary>
/// One pushed event. <see cref="Cursor"/> is the position in the user's feed (0 for notices that are never stored,
/// such as typing); a client keeps the highest cursor it processed and resumes with Sync after it.
/// <see cref="EventId"/> is the same for every recipient and every delivery of the event: dedupe on it.
/// </summary>
public sealed record ClientEvent(Guid EventId, long Cursor, string Type, DateTimeOffset At, JsonElement Data);

/// <summary>What the server calls on a connected client. Method names are the event types.</summary>
public interface IMessagingClient
{
    Task MessageCreated(ClientEvent e);

    Task ReadConfirmation(ClientEvent e);

    Task Typing(ClientEvent e);

    Task ConversationChanged(ClientEvent e);

    Task InboxChanged(ClientEvent e);

    Task UrgentMessage(ClientEvent e);

    Task UnreadAlert(ClientEvent e);
}

/// <summary>The one place that names hub routes, methods and events.</summary>
public static class HubNames
{
    public const string Path = "/hubs/messaging";

    public const string Typing = "Typing";

    public static IReadOnlySet<string> Events { get; } = typeof(IMessagingClient).GetMethods().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
}
