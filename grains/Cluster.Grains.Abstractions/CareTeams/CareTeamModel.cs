namespace Cluster.Grains.Abstractions.CareTeams;

/// <summary>Opening hours: an IANA time zone and, per weekday, "HH:mm-HH:mm" (a missing day is closed).</summary>
public sealed record BusinessHours(string TimeZoneId, IReadOnlyDictionary<DayOfWeek, string> Days)
{
    public static BusinessHours WeekdaysEightToFive(string timeZoneId) => new(timeZoneId, new Dictionary<DayOfWeek, string>
    {
        [DayOfWeek.Monday] = "08:00-17:00",
        [DayOfWeek.Tuesday] = "08:00-17:00",
        [DayOfWeek.Wednesday] = "08:00-17:00",
        [DayOfWeek.Thursday] = "08:00-17:00",
        [DayOfWeek.Friday] = "08:00-17:00",
    });
}

public sealed record CareTeamSettings(
    string Name,
    IReadOnlyList<string> Members,
    BusinessHours Hours,
    IReadOnlyList<DateOnly> Holidays,
    int ResponseBusinessDays = 2);

/// <summary>A queued conversation's rank: urgent first, then escalated, then normal (<see cref="WorkOrder"/>).</summary>
public enum QueuePriority
{
    Normal = 0,
    Escalated = 1,
    Urgent = 2,
}

public sealed record QueueEntry(string ConversationId, string PatientId, QueuePriority Priority, DateTimeOffset? Deadline, DateTimeOffset EnqueuedAt);

public sealed record ClaimRecord(string ConversationId, string ClinicianId, DateTimeOffset At);

public sealed record CareTeamView(string CareTeamId, CareTeamSettings Settings, IReadOnlyList<QueueEntry> Queue, IReadOnlyList<ClaimRecord> Claims);

/// <summary>What a conversation needs to know of its care team.</summary>
public sealed record CareTeamInfo(bool Configured, IReadOnlyList<string> Members);
