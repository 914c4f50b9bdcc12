namespace Cluster.Grains.Policies;

/// <summary>A care team's business days and hours in its own time zone: whether it is open, and when a reply is due.</summary>
public sealed class BusinessCalendar
{
    private readonly Dictionary<DayOfWeek, BusinessHours> _hours;
    private readonly HashSet<DateOnly> _holidays;

    public BusinessCalendar(IReadOnlyDictionary<DayOfWeek, BusinessHours> weeklyHours, TimeZoneInfo timeZone, IEnumerable<DateOnly>? holidays = null)
    {
        ArgumentNullException.ThrowIfNull(weeklyHours);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (weeklyHours.Count == 0)
        {
            // Without an open day no deadline could ever be reached.
            throw new ArgumentException("Business hours must open on at least one day of the week.", nameof(weeklyHours));
        }

        _hours = weeklyHours.ToDictionary();
        _holidays = [.. holidays ?? []];
        TimeZone = timeZone;
    }

    /// <summary>Monday to Friday, 08:00-17:00.</summary>
    public static IReadOnlyDictionary<DayOfWeek, BusinessHours> DefaultWeek { get; } = new Dictionary<DayOfWeek, BusinessHours>
    {
        [DayOfWeek.Monday] = new(new(8, 0), new(17, 0)),
        [DayOfWeek.Tuesday] = new(new(8, 0), new(17, 0)),
        [DayOfWeek.Wednesday] = new(new(8, 0), new(17, 0)),
        [DayOfWeek.Thursday] = new(new(8, 0), new(17, 0)),
        [DayOfWeek.Friday] = new(new(8, 0), new(17, 0)),
    };

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Builds a calendar from settings; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static BusinessCalendar Create(BusinessHoursSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var week = settings.Days is { Count: > 0 } days
            ? days.Where(day => !string.Equals(day.Value?.Trim(), "closed", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(day => day.Key, day => BusinessHours.Parse(day.Value, day.Key))
            : DefaultWeek;
        return new BusinessCalendar(week, FindTimeZone(settings.TimeZoneId), settings.Holidays);
    }

    public bool IsBusinessDay(DateOnly date) => _hours.ContainsKey(date.DayOfWeek) && !_holidays.Contains(date);

    /// <summary>True when the instant falls within business hours on a business day, on the team's local clock.</summary>
    public bool IsOpen(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        return IsBusinessDay(date) && _hours[date.DayOfWeek] is var hours && time >= hours.Open && time < hours.Close;
    }

    /// <summary>
    /// Closing time of the N-th business day. The day of receipt is day 1 only when the message arrives before that
    /// day's opening; otherwise counting starts at the next business day. Returned with the zone's offset at that instant.
    /// </summary>
    public DateTimeOffset Deadline(DateTimeOffset receivedAt, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(businessDays);
        var local = TimeZoneInfo.ConvertTime(receivedAt, TimeZone).DateTime;
        var received = DateOnly.FromDateTime(local);
        // The receipt day counts only when the team has all of its hours left to answer.
        var day = IsBusinessDay(received) && TimeOnly.FromDateTime(local) < _hours[received.DayOfWeek].Open
            ? received
            : NextBusinessDay(received);
        for (var counted = 1; counted < businessDays; counted++)
        {
            day = NextBusinessDay(day);
        }

        return AtLocalTime(day, _hours[day.DayOfWeek].Close);
    }

    // Terminates: at least one weekday is open and the holidays are finitely many.
    private DateOnly NextBusinessDay(DateOnly after)
    {
        var day = after.AddDays(1);
        while (!IsBusinessDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private DateTimeOffset AtLocalTime(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        // GetUtcOffset gives the standard offset both for a time the clocks skip (so it lands as much later as the gap)
        // and for one that occurs twice (so it is the later of the two). The final conversion shows the offset in force then.
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(local, TimeZone.GetUtcOffset(local)), TimeZone);
    }

    private static TimeZoneInfo FindTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("Business hours need a time zone id, such as \"America/New_York\".", nameof(id));
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Unknown time zone \"{id}\"; use an IANA id such as \"America/New_York\".", nameof(id), e);
        }
    }
}
