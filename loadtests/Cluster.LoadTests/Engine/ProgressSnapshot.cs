namespace Cluster.LoadTests.Engine;

/// <summary>
/// The state of a run, reported once a second: <see cref="Phase"/> is <see cref="WarmUpPhase"/>,
/// <see cref="MeasurePhase"/> or <see cref="DrainPhase"/>, and <see cref="DonePhase"/> once, at the end.
/// </summary>
public sealed record ProgressSnapshot(TimeSpan Elapsed, TimeSpan Total, string Phase, IReadOnlyList<StepStats> Steps, long InFlight)
{
    /// <summary>Load runs but nothing is recorded.</summary>
    public const string WarmUpPhase = "warm-up";

    /// <summary>The measured simulations run.</summary>
    public const string MeasurePhase = "measure";

    /// <summary>No more arrivals; the run waits for the iterations still running.</summary>
    public const string DrainPhase = "drain";

    /// <summary>The run is over; the steps are final.</summary>
    public const string DonePhase = "done";
}
