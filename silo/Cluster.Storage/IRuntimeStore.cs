using Cluster.Grains.Abstractions.Feed;

namespace Cluster.Storage;

/// <summary>A grain's persisted state and the ETag that a write must match.</summary>
public sealed record GrainStateRecord(string Data, long ETag);

/// <summary>A row a turn appends.</summary>
public sealed record PendingRow(string Collection, string Partition, long? Sequence, string? UniqueKey, string Data);

/// <summary>An event a turn emits, with the users whose feeds receive it.</summary>
public sealed record PendingEvent(Guid EventId, string Type, string Payload, IReadOnlyList<string> Audience);

/// <summary>A reminder a turn sets (with a due time) or clears (without one).</summary>
public sealed record ReminderChange(string Name, DateTimeOffset? DueAt);

/// <summary>The reminder whose firing this turn handles; removed on commit unless the turn moved it.</summary>
public sealed record FiredReminder(string Name, DateTimeOffset DueAt);

/// <summary>Everything one turn writes, committed in one transaction.</summary>
public sealed record TurnCommit(
    GrainId Grain,
    long? ExpectedETag,
    string State,
    IReadOnlyList<PendingRow> Rows,
    IReadOnlyList<PendingEvent> Events,
    IReadOnlyList<ReminderChange> Reminders,
    FiredReminder? Fired,
    DateTimeOffset Now);

/// <summary>The outcome of a commit: the new ETag and the feed entries to publish.</summary>
public sealed record CommitResult(long ETag, IReadOnlyList<FeedEvent> Deliveries);

/// <summary>A row as stored, with its data still serialised.</summary>
public sealed record RawRow(long? Sequence, string? UniqueKey, string Data, DateTimeOffset CommittedAt);

/// <summary>A reminder this node claimed and must deliver.</summary>
public sealed record DueReminder(GrainId Grain, string Name, DateTimeOffset DueAt);

/// <summary>
/// The runtime's storage. One implementation over ADO.NET with a dialect per engine; every
/// implementation passes the same conformance suite.
/// </summary>
public interface IRuntimeStore
{
    /// <summary>Where the data lives (file path or host and database), for the start-up log; never for anonymous callers.</summary>
    string Describe();

    /// <summary>The engine's name alone ("sqlite", "postgresql"), safe to show anyone.</summary>
    string Engine { get; }

    /// <summary>Creates or upgrades the schema; safe to run on every start and from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task PingAsync(CancellationToken cancellationToken);

    Task<GrainStateRecord?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>Commits a turn; throws <see cref="ETagConflictException"/> when the state moved on.</summary>
    Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the grain's state and holds other writers of it off until the returned turn commits or is disposed.
    /// Used to retry a turn that lost an ETag race, so that a busy grain cannot starve one node's writes.
    /// Where the engine has a single writer anyway, it reads without holding anything.
    /// </summary>
    Task<ILockedGrainState> LockStateAsync(GrainId grain, CancellationToken cancellationToken);

    Task<IReadOnlyList<RawRow>> ReadRowsAfterAsync(string collection, string partition, long afterSequence, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<RawRow>> ReadRowsBeforeAsync(string collection, string partition, long beforeSequence, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<RawRow>> ReadRecentRowsAsync(string collection, string partition, int limit, CancellationToken cancellationToken);

    Task<RawRow?> FindRowAsync(string collection, string partition, string uniqueKey, CancellationToken cancellationToken);

    Task<FeedPage> ReadFeedAsync(string userId, long afterCursor, int limit, CancellationToken cancellationToken);

    /// <summary>Leases events that are still unpublished and older than <paramref name="createdBefore"/>, with their feed entries.</summary>
    Task<IReadOnlyList<FeedEvent>> ClaimUnpublishedAsync(DateTimeOffset createdBefore, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    Task MarkPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken);

    /// <summary>Leases due reminders to <paramref name="owner"/>; a reminder leased elsewhere is skipped until its lease ends.</summary>
    Task<IReadOnlyList<DueReminder>> ClaimDueRemindersAsync(DateTimeOffset now, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken);
}

/// <summary>A grain's state read under a lock, and the commit that releases it.</summary>
public interface ILockedGrainState : IAsyncDisposable
{
    GrainStateRecord? State { get; }

    Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken);
}

/// <summary>The grain's state was written by someone else since it was read.</summary>
public sealed class ETagConflictException(GrainId grain)
    : Exception($"The stored state of {grain} changed since it was read.")
{
    public GrainId Grain { get; } = grain;
}
