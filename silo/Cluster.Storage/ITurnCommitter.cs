namespace Cluster.Storage;

/// <summary>
/// Commits one turn's effects (state, rows, events and feed entries, reminders) atomically and completes when they are
/// durable. An implementation may share one transaction among the turns of many grains.
/// </summary>
public interface ITurnCommitter
{
    /// <summary>Throws <see cref="ETagConflictException"/> when the state moved on; nothing of the turn is then stored.</summary>
    Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken);
}
