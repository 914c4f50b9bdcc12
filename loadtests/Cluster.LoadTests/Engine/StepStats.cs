namespace Cluster.LoadTests.Engine;

/// <summary>
/// Cumulative results of one step over the measured period. <see cref="Latency"/> is the latency of successful
/// requests; failures with a latency are summarised apart in <see cref="FailedLatency"/>.
/// </summary>
public sealed record StepStats(
    string Name,
    long Requests,
    long Ok,
    long Failed,
    IReadOnlyDictionary<string, long> FailuresByCode,
    double OkPerSecond,
    LatencyStats Latency,
    long Bytes,
    TimeSpan Measured)
{
    /// <summary>Latency of the failures recorded with one (timeouts, error answers); null when none was.</summary>
    public LatencyStats? FailedLatency { get; init; }
}
