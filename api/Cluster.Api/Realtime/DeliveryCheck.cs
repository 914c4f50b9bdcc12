using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Realtime;

/// <summary>
/// Decides at delivery time (live push and Sync alike) whether a connection's user may still receive an event.
/// Audiences are fixed when an event is committed, and part of a patient's audience comes from the patient's own
/// grants, so every event about a conversation is checked again: it reaches the user only if the conversation lets
/// them read it now, as the role their token names. Two kinds of event are meant for the care side whatever it can
/// read now: queue notices (InboxChanged, ids and a reason only) and the Claimed and Transferred changes, which
/// also reach those who lost the conversation through the change: its assignee, or a member of its care team,
/// before or after the change.
/// </summary>
public sealed class DeliveryCheck(IGrainFactory grains)
{
    /// <summary>
    /// Starts a batch of deliveries to one user: a Sync page, or the pushes queued for a connection. Answers are shared
    /// within the batch only, so an access that ends applies from the next batch.
    /// </summary>
    public DeliveryBatch Begin(Actor actor) => new(grains, actor);
}
