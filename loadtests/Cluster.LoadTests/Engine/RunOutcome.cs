namespace Cluster.LoadTests.Engine;

/// <summary>
/// How a run went: when it started, how long the warm-up and the measured period (which includes the drain)
/// took, how many iterations the measured period started and how many arrivals it could not start.
/// </summary>
public sealed record RunOutcome(DateTimeOffset StartedAt, TimeSpan WarmUp, TimeSpan Measured, long Iterations, long NotStarted)
{
    /// <summary>Iterations started during the warm-up.</summary>
    public long WarmUpIterations { get; init; }

    /// <summary>Iterations still running when the drain ran out; they were counted as failures and cancelled.</summary>
    public long Unfinished { get; init; }

    /// <summary>Whether the caller's cancellation ended the run before its simulations did.</summary>
    public bool Cancelled { get; init; }
}
