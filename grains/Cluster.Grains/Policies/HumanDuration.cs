namespace Cluster.Grains.Policies;

/// <summary>Writes a wait in plain words: "less than a minute", "23 minutes", "2 hours 5 minutes".</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMinutes(1))
        {
            return "less than a minute";
        }

        // Rounded up, so a person who waits the stated time is never refused again.
        var totalMinutes = (int)Math.Ceiling(duration.TotalMinutes);
        var hours = totalMinutes / 60;
        var minutes = totalMinutes % 60;
        var hourPart = hours > 0 ? Quantity.Of(hours, "hour", "hours") : null;
        var minutePart = minutes > 0 ? Quantity.Of(minutes, "minute", "minutes") : null;
        return string.Join(' ', new[] { hourPart, minutePart }.Where(part => part is not null));
    }
}
