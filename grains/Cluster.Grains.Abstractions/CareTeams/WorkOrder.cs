using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Abstractions.CareTeams;

/// <summary>
/// The one order of every clinician inbox and care-team queue: urgent conversations first (a red flag: possibly an
/// emergency now), then escalated ones (the reply deadline passed), then the rest; within each, the earliest reply
/// deadline first (none last), then the longest waiting, then the id so equal entries never swap places.
/// </summary>
public static class WorkOrder
{
    public static QueuePriority PriorityOf(bool urgent, bool escalated) =>
        urgent ? QueuePriority.Urgent : escalated ? QueuePriority.Escalated : QueuePriority.Normal;

    public static IReadOnlyList<QueueEntry> Sort(IEnumerable<QueueEntry> entries) =>
        entries
            .OrderByDescending(e => e.Priority)
            .ThenBy(e => e.Deadline ?? DateTimeOffset.MaxValue)
            .ThenBy(e => e.EnqueuedAt)
            .ThenBy(e => e.ConversationId, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<ConversationView> Sort(IEnumerable<ConversationView> conversations) =>
        conversations
            .OrderByDescending(c => PriorityOf(c.Urgent, c.Escalated))
            .ThenBy(c => c.ResponseDeadline ?? DateTimeOffset.MaxValue)
            .ThenBy(c => c.LastActivityAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
}
