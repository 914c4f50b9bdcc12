namespace Cluster.Grains.Abstractions.Identity;

/// <summary>The roles a user of the portal can hold.</summary>
public enum UserRole
{
    Patient,
    Proxy,
    Clinician,
    Staff,
    Admin,

    /// <summary>The portal itself: automatic replies, escalations, inactivity closes. Never in a token.</summary>
    System,
}

/// <summary>Who performs an operation: always the authenticated user, never what a request body claims.</summary>
public sealed record Actor(string UserId, UserRole Role)
{
    /// <summary>Clinicians and staff: the people who answer patients.</summary>
    public bool IsCareTeam => Role is UserRole.Clinician or UserRole.Staff;

    /// <summary>Patients and the family members acting for them.</summary>
    public bool IsPatientSide => Role is UserRole.Patient or UserRole.Proxy;

    public override string ToString() => $"{Role}:{UserId}";
}
