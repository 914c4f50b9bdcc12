namespace Cluster.Grains.Policies;

/// <summary>
/// At most <see cref="Count"/> events in any sliding <see cref="Window"/>. <see cref="Description"/> completes
/// "You have sent 5 ..." for a person, e.g. "messages in the last hour".
/// </summary>
public sealed record RateLimit
{
    public RateLimit(int count, TimeSpan window, string description)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        (Count, Window, Description) = (count, window, description);
    }

    public int Count { get; }

    public TimeSpan Window { get; }

    public string Description { get; }
}
