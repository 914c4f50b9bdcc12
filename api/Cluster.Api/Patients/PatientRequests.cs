using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Patients;

/// <summary>POST /api/v1/terms/accept. PatientId defaults to the caller (patients); proxies name the patient they act for.</summary>
public sealed record AcceptTermsBody(string? PatientId, string Version);

/// <summary>POST /api/v1/patients/{patientId}/proxies: who gets access, how much, and until when (null: until revoked).</summary>
public sealed record GrantProxyBody(string ProxyUserId, ProxyScope Scope, DateTimeOffset? ExpiresAt);
