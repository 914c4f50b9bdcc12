using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Patients;

/// <summary>
/// A patient: profile, accepted terms, rate-limit windows, proxy grants and conversations. Keyed by the
/// patient's user id. Conversations call it (admission records a started conversation in the patient's list); it calls proxy
/// accounts (a grant goes only to a registered one) and care teams (whose members may see the patient), which call it back never.
/// </summary>
public interface IPatientGrain : IGrainWithStringKey
{
    Task<Outcome<PatientView>> RegisterAsync(Actor actor, PatientProfile profile);

    Task<Outcome<PatientView>> GetAsync(Actor actor);

    Task<Outcome<TermsStatus>> GetTermsAsync(Actor actor);

    Task<Outcome<TermsStatus>> AcceptTermsAsync(Actor actor, string version);

    /// <summary>
    /// Gives a registered proxy account access (or changes an active grant's scope and end). Refused with proxy_not_found
    /// for an id without a proxy account and proxy_limit beyond the active-grant limit; a refusal stores nothing.
    /// </summary>
    Task<Outcome<ProxyGrantView>> GrantProxyAsync(Actor actor, GrantProxyRequest request);

    Task<Outcome<ProxyGrantView>> RevokeProxyAsync(Actor actor, string proxyUserId);

    Task<Outcome<IReadOnlyList<string>>> ListConversationsAsync(Actor actor);

    /// <summary>Admits a patient-side message: idempotent per conversation, sender and client message id, so a retry never uses a second rate slot.</summary>
    Task<Admission> AdmitAsync(AdmissionRequest request);

    /// <summary>Whether the user (the patient or a proxy) may read or send in a conversation now; null when allowed.</summary>
    Task<Problem?> CheckAccessAsync(string userId, AccessKind kind, bool conversationPrivate);

    /// <summary>The patient and every proxy allowed to read a conversation with this privacy now.</summary>
    Task<IReadOnlyList<string>> GetReadersAsync(bool conversationPrivate);
}
