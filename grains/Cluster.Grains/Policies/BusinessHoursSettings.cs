namespace Cluster.Grains.Policies;

/// <summary>
/// A care team's working calendar as configuration holds it, e.g.
/// <c>{ "TimeZoneId": "America/New_York", "Days": { "Monday": "08:00-17:00" }, "Holidays": [ "2026-12-25" ] }</c>.
/// </summary>
public sealed record BusinessHoursSettings
{
    /// <summary>An IANA time zone id, such as "America/New_York".</summary>
    public string TimeZoneId { get; init; } = string.Empty;

    /// <summary>Hours per day as "08:00-17:00"; a missing day, or "closed", is closed. Null or empty means Monday to Friday 08:00-17:00.</summary>
    /// <remarks>No default entries: the configuration binder adds to a dictionary rather than replacing it.</remarks>
    public IReadOnlyDictionary<DayOfWeek, string>? Days { get; init; }

    /// <summary>Dates on which the team does not work, in the calendar's time zone.</summary>
    public IReadOnlyList<DateOnly>? Holidays { get; init; }
}
