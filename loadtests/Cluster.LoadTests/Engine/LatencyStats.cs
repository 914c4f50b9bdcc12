namespace Cluster.LoadTests.Engine;

/// <summary>Latency of a step's successful requests, in milliseconds.</summary>
public sealed record LatencyStats(
    double MinMs, double MeanMs, double P50Ms, double P75Ms, double P95Ms, double P99Ms, double MaxMs, long Count)
{
    /// <summary>The statistics of no request at all.</summary>
    public static LatencyStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);
}
