using System.Collections.Concurrent;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// The steps of one run and its measured period. Nothing is recorded until <see cref="StartRecording"/>, so a
/// warm-up leaves no trace; <see cref="StopRecording"/> ends the period. One registry measures one period.
/// </summary>
public sealed class MetricsRegistry
{
    private static readonly TimeSpan CloseInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, StepMetrics> _byName = new(StringComparer.Ordinal);
    private readonly List<StepMetrics> _steps = [];
    private readonly Lock _gate = new();
    private long _startTimestamp;
    private TimeSpan? _stoppedAfter;
    private volatile bool _recording;
    private bool _started;
    private ITimer? _closer;

    /// <summary>Creates a registry that reads time from <paramref name="time"/> (the system clock by default).</summary>
    public MetricsRegistry(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Whether records are kept: false before <see cref="StartRecording"/> (warm-up) and after <see cref="StopRecording"/>.</summary>
    public bool IsRecording => _recording;

    /// <summary>The length of the measured period: so far while recording, final once stopped.</summary>
    public TimeSpan Measured
    {
        get
        {
            lock (_gate)
                return !_started ? TimeSpan.Zero : _stoppedAfter ?? _time.GetElapsedTime(_startTimestamp);
        }
    }

    internal int CurrentSecond => (int)(_time.GetElapsedTime(Volatile.Read(ref _startTimestamp)).Ticks / TimeSpan.TicksPerSecond);

    /// <summary>The step named <paramref name="name"/>, created on first use; steps keep the order they were created in.</summary>
    public StepMetrics Step(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_byName.TryGetValue(name, out var step))
            return step;

        lock (_gate)
        {
            if (_byName.TryGetValue(name, out step))
                return step;

            step = new StepMetrics(name, this, _recording ? CurrentSecond : 0);
            _steps.Add(step);
            _byName[name] = step;
            return step;
        }
    }

    /// <summary>Starts the measured period and its per-second time series; does nothing when already recording.</summary>
    public void StartRecording()
    {
        lock (_gate)
        {
            if (_recording)
                return;
            if (_started)
                throw new InvalidOperationException("This registry has measured its period already; use a new registry for another run.");

            Volatile.Write(ref _startTimestamp, _time.GetTimestamp());
            _started = true;
            _recording = true;
            _closer = _time.CreateTimer(_ => CloseElapsedSeconds(), null, CloseInterval, CloseInterval);
        }
    }

    /// <summary>Ends the measured period and closes the time series; later records are dropped.</summary>
    public void StopRecording()
    {
        lock (_gate)
        {
            if (!_recording)
                return;

            _recording = false;
            var measured = _time.GetElapsedTime(_startTimestamp);
            _stoppedAfter = measured;
            _closer?.Dispose();

            // A period a hair longer than whole seconds (the end of the drain) does not get a point of its own.
            var pointCount = Math.Max(1, (int)Math.Ceiling(measured.TotalSeconds - 0.05));
            var lastSecond = (int)(measured.Ticks / TimeSpan.TicksPerSecond);
            foreach (var step in _steps)
                step.Series.Complete(pointCount, lastSecond);
        }
    }

    /// <summary>The cumulative results of every step, in the order the steps were created.</summary>
    public IReadOnlyList<StepStats> Snapshot()
    {
        StepMetrics[] steps;
        lock (_gate)
            steps = [.. _steps];
        return [.. steps.Select(step => step.Snapshot())];
    }

    /// <summary>
    /// One point per second of the measured period for <paramref name="step"/>: the seconds closed so far while
    /// recording (a second closes two seconds after it ends), all of them once stopped. Empty for an unknown step.
    /// </summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries(string step) =>
        _byName.TryGetValue(step, out var metrics) ? metrics.Series.Points() : [];

    private void CloseElapsedSeconds()
    {
        lock (_gate)
        {
            if (!_recording)
                return;

            var current = CurrentSecond;
            foreach (var step in _steps)
                step.Series.CloseBefore(current - 1);
        }
    }
}
