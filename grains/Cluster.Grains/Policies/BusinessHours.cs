using System.Globalization;

namespace Cluster.Grains.Policies;

/// <summary>The opening and closing time of one business day, in the calendar's time zone; opening comes first.</summary>
public sealed record BusinessHours
{
    private static readonly string[] TimeFormats = ["HH:mm", "H:mm"];

    public BusinessHours(TimeOnly open, TimeOnly close)
    {
        if (open >= close)
        {
            throw new ArgumentException($"Business hours must open before they close; got {open:HH:mm}-{close:HH:mm}.", nameof(open));
        }

        (Open, Close) = (open, close);
    }

    public TimeOnly Open { get; }

    public TimeOnly Close { get; }

    /// <summary>Reads "08:00-17:00"; <paramref name="day"/> only names the day in the error.</summary>
    public static BusinessHours Parse(string text, DayOfWeek day)
    {
        var parts = (text ?? string.Empty).Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
            || !TimeOnly.TryParseExact(parts[1], TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var close))
        {
            throw new ArgumentException($"Business hours for {day} must look like \"08:00-17:00\" or \"closed\"; got \"{text}\".", nameof(text));
        }

        if (open >= close)
        {
            throw new ArgumentException($"Business hours for {day} must open before they close; got \"{text}\".", nameof(text));
        }

        return new(open, close);
    }
}
