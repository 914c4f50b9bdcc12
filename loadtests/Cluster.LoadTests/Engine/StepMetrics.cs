using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// The counters of one step (one kind of request). Thread-safe and lock-free: record from as many iterations as
/// run at once. Records made while the registry is not recording (warm-up, after the run) are dropped.
/// </summary>
public sealed class StepMetrics
{
    private readonly MetricsRegistry _registry;
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _failedLatency = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _failures = new(StringComparer.Ordinal);
    private long _ok;
    private long _failed;
    private long _bytes;

    internal StepMetrics(string name, MetricsRegistry registry, int firstSecond)
    {
        Name = name;
        _registry = registry;
        Series = new SecondSeries(firstSecond);
    }

    /// <summary>The step's name, as shown in reports.</summary>
    public string Name { get; }

    internal SecondSeries Series { get; }

    /// <summary>Records a successful request, its latency and the bytes it moved.</summary>
    public void RecordOk(TimeSpan latency, long bytes = 0)
    {
        if (!_registry.IsRecording)
            return;

        Interlocked.Increment(ref _ok);
        if (bytes != 0)
            Interlocked.Add(ref _bytes, bytes);
        _latency.Record(latency);
        Series.RecordOk(_registry.CurrentSecond, latency);
    }

    /// <summary>Records a failed request under a short stable <paramref name="code"/> (such as <c>http.503</c> or <c>timeout</c>).</summary>
    public void RecordFailure(string code, TimeSpan? latency = null, long bytes = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        if (!_registry.IsRecording)
            return;

        Interlocked.Increment(ref _failed);
        Interlocked.Increment(ref _failures.GetOrAdd(code, static _ => new StrongBox<long>()).Value);
        if (bytes != 0)
            Interlocked.Add(ref _bytes, bytes);
        if (latency is { } value)
            _failedLatency.Record(value);
        Series.RecordFailure(_registry.CurrentSecond);
    }

    /// <summary>The cumulative results recorded so far.</summary>
    public StepStats Snapshot()
    {
        var ok = Volatile.Read(ref _ok);
        var failed = Volatile.Read(ref _failed);
        var measured = _registry.Measured;
        var failures = _failures
            .Select(pair => (Code: pair.Key, Count: Volatile.Read(ref pair.Value.Value)))
            .OrderByDescending(failure => failure.Count)
            .ThenBy(failure => failure.Code, StringComparer.Ordinal)
            .ToDictionary(failure => failure.Code, failure => failure.Count, StringComparer.Ordinal);

        return new StepStats(
            Name,
            ok + failed,
            ok,
            failed,
            failures,
            measured > TimeSpan.Zero ? ok / measured.TotalSeconds : 0,
            _latency.Summarize(),
            Volatile.Read(ref _bytes),
            measured)
        {
            FailedLatency = _failedLatency.Count == 0 ? null : _failedLatency.Summarize(),
        };
    }
}
