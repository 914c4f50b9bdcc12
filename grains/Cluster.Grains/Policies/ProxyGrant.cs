using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Grains.Policies;

/// <summary>A patient's grant of access to a proxy (a family caregiver), with when it started and, if so, when it expires or was revoked.</summary>
public sealed record ProxyGrant(
    string ProxyUserId,
    ProxyScope Scope,
    DateTimeOffset GrantedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RevokedAt = null);
