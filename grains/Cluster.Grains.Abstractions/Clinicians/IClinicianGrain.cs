using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Clinicians;

/// <summary>A clinician or staff member: profile, care teams, out-of-office, and the conversations awaiting their reply.</summary>
public interface IClinicianGrain : IGrainWithStringKey
{
    Task<Outcome<ClinicianView>> RegisterAsync(Actor actor, ClinicianProfile profile);

    Task<Outcome<ClinicianView>> GetAsync(Actor actor);

    /// <summary>Sets the out-of-office window, or clears it with null.</summary>
    Task<Outcome<ClinicianView>> SetOutOfOfficeAsync(Actor actor, OutOfOffice? outOfOffice);

    /// <summary>Conversations assigned to this clinician that await their reply, unordered: readers sort the conversations by <see cref="CareTeams.WorkOrder"/>.</summary>
    Task<Outcome<IReadOnlyList<string>>> GetInboxAsync(Actor actor);

    /// <summary>Admits a care-team message against the per-minute limit; idempotent per conversation and client message id.</summary>
    Task<Problem?> AdmitAsync(string conversationId, string clientMessageId, DateTimeOffset at);

    Task<ClinicianPresence> GetPresenceAsync(DateTimeOffset at);

    /// <summary>Records whether an assigned conversation awaits this clinician's reply (false also removes it).</summary>
    Task TrackAsync(string conversationId, bool awaitingReply);
}
