namespace Cluster.LoadTests.Engine;

/// <summary>
/// One second of a step in the measured period: <see cref="Second"/> 1 covers the first second. Latencies are of
/// the successful requests of that second (0 when there was none).
/// </summary>
public sealed record TimeSeriesPoint(int Second, long Ok, long Failed, double P50Ms, double P99Ms);
