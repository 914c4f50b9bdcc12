namespace Cluster.LoadTests.Engine;

/// <summary>What one iteration of a scenario gets from the runner.</summary>
public sealed class IterationContext
{
    internal IterationContext(long number, bool isWarmUp, MetricsRegistry metrics, CancellationToken cancellation)
    {
        Number = number;
        IsWarmUp = isWarmUp;
        Metrics = metrics;
        Cancellation = cancellation;
    }

    /// <summary>The iteration's number in the run, from 1, warm-up included.</summary>
    public long Number { get; }

    /// <summary>Whether the iteration was started during the warm-up (its records are dropped unless it ends after it).</summary>
    public bool IsWarmUp { get; }

    /// <summary>Cancelled when the run stops waiting for running iterations (after the drain).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Where the iteration records its steps.</summary>
    public MetricsRegistry Metrics { get; }

    /// <summary>A random source safe to use from any thread (<see cref="Random.Shared"/>).</summary>
    public Random Random => Random.Shared;
}
