namespace Cluster.Grains.Abstractions.Clinicians;

public enum ClinicalRole
{
    Physician,
    Nurse,
    Staff,
}

public sealed record ClinicianProfile(string DisplayName, ClinicalRole Role, IReadOnlyList<string> CareTeamIds);

/// <summary>An out-of-office window and the reply patients get while it lasts.</summary>
public sealed record OutOfOffice(DateTimeOffset From, DateTimeOffset Until, string AutoReply);

public sealed record ClinicianView(string ClinicianId, ClinicianProfile Profile, OutOfOffice? OutOfOffice, IReadOnlyList<string> AwaitingReply);

/// <summary>What a conversation needs to know of a clinician at one instant.</summary>
public sealed record ClinicianPresence(bool Registered, IReadOnlyList<string> CareTeamIds, OutOfOffice? AwayNow);
