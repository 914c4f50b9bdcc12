using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Patients;

public sealed record PatientProfile(string DisplayName, DateOnly DateOfBirth, string? PrimaryClinicianId = null);

public enum ProxyScope
{
    Read,
    ReadAndSend,
}

public sealed record GrantProxyRequest(string ProxyUserId, ProxyScope Scope, DateTimeOffset? ExpiresAt);

/// <summary>A proxy grant as it stands now: <see cref="Active"/> is false once revoked, expired or ended at 18.</summary>
public sealed record ProxyGrantView(string ProxyUserId, ProxyScope Scope, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Active, string? InactiveReason);

/// <summary>The messaging terms and whether this user accepted the current version.</summary>
public sealed record TermsStatus(string CurrentVersion, string Text, string? AcceptedVersion, DateTimeOffset? AcceptedAt)
{
    public bool Accepted => AcceptedVersion == CurrentVersion;
}

public sealed record PatientView(string PatientId, PatientProfile Profile, int Age, IReadOnlyList<ProxyGrantView> Proxies, IReadOnlyList<string> ConversationIds);

public enum AccessKind
{
    Read,
    Send,
}

/// <summary>A conversation asks whether a patient-side message may be stored (terms, proxy access, rate limits); the care team it goes to may then see the patient.</summary>
public sealed record AdmissionRequest(
    Actor Actor, string ConversationId, string ClientMessageId, bool StartsConversation, bool ConversationPrivate, DateTimeOffset At, string? CareTeamId = null);

/// <summary>The answer: a problem, or the users who may read the conversation now (patient and permitted proxies) and the patient's own clinician.</summary>
public sealed record Admission(Problem? Problem, IReadOnlyList<string> Readers, string? PrimaryClinicianId = null)
{
    public bool Allowed => Problem is null;
}
