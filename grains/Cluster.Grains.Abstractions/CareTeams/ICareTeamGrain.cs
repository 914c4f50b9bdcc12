using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.CareTeams;

/// <summary>
/// A pool such as "Family Medicine nurses" or "front desk": members, business hours, and the queue of
/// conversations awaiting a reply. Conversations call it; it calls no other grain.
/// </summary>
public interface ICareTeamGrain : IGrainWithStringKey
{
    Task<Outcome<CareTeamView>> ConfigureAsync(Actor actor, CareTeamSettings settings);

    Task<Outcome<CareTeamView>> GetAsync(Actor actor);

    /// <summary>The queue in the order it should be worked: priority, then deadline.</summary>
    Task<Outcome<IReadOnlyList<QueueEntry>>> GetQueueAsync(Actor actor);

    Task<CareTeamInfo> GetInfoAsync();

    /// <summary>The reply deadline for a patient message received at <paramref name="receivedAt"/>, from business hours and holidays.</summary>
    Task<DateTimeOffset> ComputeDeadlineAsync(DateTimeOffset receivedAt);

    /// <summary>Adds the conversation to the queue or updates its priority and deadline.</summary>
    Task EnqueueAsync(QueueEntry entry);

    /// <summary>Takes the conversation out of the queue, keeping the claim of the member who has it.</summary>
    Task DequeueAsync(string conversationId);

    /// <summary>Takes the conversation out of the queue and out of any claim.</summary>
    Task RemoveAsync(string conversationId);

    /// <summary>A member claims a queued conversation: it leaves the queue, assigned to them.</summary>
    Task<Problem?> ClaimAsync(string conversationId, string clinicianId, DateTimeOffset at);
}
