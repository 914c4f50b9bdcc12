namespace Cluster.Grains.Abstractions.Feed;

/// <summary>
/// One event in one user's feed. <see cref="Cursor"/> numbers the user's feed 1, 2, 3... with no gaps, so a
/// client that saw cursor N asks for what came after N; <see cref="EventId"/> is the same for every recipient
/// of the event, for de-duplication.
/// </summary>
public sealed record FeedEvent(
    string UserId,
    long Cursor,
    Guid EventId,
    string Type,
    string Payload,
    DateTimeOffset CreatedAt);

/// <summary>A page of a user's feed and the cursor to ask from next.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEvent> Events, long NextCursor, bool HasMore);
