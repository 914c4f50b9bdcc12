namespace Cluster.Grains.Abstractions.Feed;

/// <summary>
/// The per-user event feed: every event a turn emitted to a user, durable and in order. Live delivery is
/// at-least-once and may skip events while the backplane is down; reading from a cursor is the complete path.
/// </summary>
public interface IUserEventFeed
{
    /// <summary>Events of <paramref name="userId"/> after <paramref name="afterCursor"/>, oldest first.</summary>
    Task<FeedPage> ReadAsync(string userId, long afterCursor, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers a notice to live subscribers only (such as typing): never stored, no cursor (0), lost when nobody listens.
    /// </summary>
    Task PublishTransientAsync(IReadOnlyCollection<string> userIds, string type, string payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers the user's events as they are committed anywhere in the cluster, until the returned handle is
    /// disposed. Live delivery may skip events (backplane down) or reorder commits from different nodes: the
    /// cursor shows a gap, and reading from the last cursor fills it. Handlers must be fast and must not throw.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string userId, Func<FeedEvent, ValueTask> onEvent, CancellationToken cancellationToken = default);
}
