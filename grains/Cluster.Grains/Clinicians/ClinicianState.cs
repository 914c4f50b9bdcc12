using Cluster.Grains.Abstractions.Clinicians;

namespace Cluster.Grains.Clinicians;

public sealed class ClinicianState
{
    public ClinicianProfile? Profile { get; set; }

    public OutOfOffice? OutOfOffice { get; set; }

    /// <summary>Assigned conversations whose patient wrote last.</summary>
    public List<string> AwaitingReply { get; set; } = [];

    /// <summary>Admitted messages of the last rate window, with their idempotency keys.</summary>
    public List<ClinicianAdmission> Admissions { get; set; } = [];
}

public sealed record ClinicianAdmission(string Key, DateTimeOffset At);
