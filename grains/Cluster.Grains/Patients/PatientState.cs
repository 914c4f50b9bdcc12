using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Grains.Patients;

public sealed class PatientState
{
    public PatientProfile? Profile { get; set; }

    /// <summary>Terms accepted, by user: the patient and each proxy accept for themselves.</summary>
    public Dictionary<string, TermsAcceptance> Terms { get; set; } = [];

    /// <summary>Admitted patient-side messages of the last day: the rate-limit windows and the idempotency keys.</summary>
    public List<AdmissionRecord> Admissions { get; set; } = [];

    public Dictionary<string, ProxyGrantRecord> Proxies { get; set; } = [];

    /// <summary>Every conversation the patient started, oldest first.</summary>
    public List<string> Conversations { get; set; } = [];

    /// <summary>Care teams the patient has written to: their members may see the patient's profile.</summary>
    public List<string> CareTeams { get; set; } = [];
}

public sealed record TermsAcceptance(string Version, DateTimeOffset At);

/// <summary>An admitted message; <see cref="SenderId"/> is null in records from before it was kept (worded as someone else's).</summary>
public sealed record AdmissionRecord(string Key, DateTimeOffset At, bool StartsConversation, string? SenderId = null);

/// <summary>A grant; <see cref="AccountConfirmed"/> is false only in records from before grants were checked, until the next turn checks it.</summary>
public sealed record ProxyGrantRecord(
    string ProxyUserId, ProxyScope Scope, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool AccountConfirmed = false);
