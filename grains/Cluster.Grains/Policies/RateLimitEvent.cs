namespace Cluster.Grains.Policies;

/// <summary>A past action in a window several people share, and whether the one now asking did it (for the wording only).</summary>
public readonly record struct RateLimitEvent(DateTimeOffset At, bool ByActor);
