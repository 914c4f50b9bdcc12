using System.Diagnostics;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// One run of a scenario. Open-model simulations use a precise injector: a loop that computes each arrival's due
/// time against a stopwatch, sleeps for gaps of 2 ms or more and spins below, and starts iterations without
/// awaiting them. Closed-model simulations use one worker loop per copy. Every loop ends by itself at the end of
/// its simulation; the schedule is absolute, so a late start never shifts what follows.
/// </summary>
internal sealed class ScenarioExecution : IDisposable
{
    private static readonly TimeSpan SleepThreshold = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    private readonly ScenarioRun _run;
    private readonly MetricsRegistry _metrics;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenSource _iterations = new();
    private readonly Stopwatch _clock = new();
    private long _inFlight;
    private long _number;
    private long _warmUpIterations;
    private long _measuredIterations;
    private long _notStarted;
    private volatile string _phase = ProgressSnapshot.WarmUpPhase;

    public ScenarioExecution(ScenarioRun run, MetricsRegistry metrics, CancellationToken stop)
    {
        _run = run;
        _metrics = metrics;
        _stop = stop;
    }

    private bool Measuring => _phase != ProgressSnapshot.WarmUpPhase;

    public async Task<RunOutcome> RunAsync(IProgress<ProgressSnapshot>? progress, TimeSpan drain)
    {
        var startedAt = DateTimeOffset.UtcNow;
        _clock.Start();
        using var progressStop = new CancellationTokenSource();
        var reporting = progress is null ? Task.CompletedTask : ReportProgressAsync(progress, progressStop.Token);
        try
        {
            var offset = TimeSpan.Zero;
            if (_run.WarmUp > TimeSpan.Zero)
            {
                await SimulateAsync(_run.Simulations[0] with { During = _run.WarmUp }, 0, offset).ConfigureAwait(false);
                offset = _run.WarmUp;
            }

            var warmUp = _clock.Elapsed;
            _metrics.StartRecording();
            _phase = ProgressSnapshot.MeasurePhase;
            var rate = 0.0;
            foreach (var simulation in _run.Simulations)
            {
                if (_stop.IsCancellationRequested)
                    break;
                await SimulateAsync(simulation, rate, offset).ConfigureAwait(false);
                rate = simulation.EndRatePerSecond(rate);
                offset += simulation.During;
            }

            _phase = ProgressSnapshot.DrainPhase;
            var unfinished = await DrainAsync(drain).ConfigureAwait(false);
            return new RunOutcome(startedAt, warmUp, _metrics.Measured, Interlocked.Read(ref _measuredIterations), Interlocked.Read(ref _notStarted))
            {
                WarmUpIterations = Interlocked.Read(ref _warmUpIterations),
                Unfinished = unfinished,
                Cancelled = _stop.IsCancellationRequested,
            };
        }
        finally
        {
            _metrics.StopRecording();
            await progressStop.CancelAsync().ConfigureAwait(false);
            // A progress reporter that threw surfaces here rather than vanishing.
            await reporting.ConfigureAwait(false);
            _phase = ProgressSnapshot.DonePhase;
            progress?.Report(Snapshot());
        }
    }

    public void Dispose() => _iterations.Dispose();

    private Task SimulateAsync(LoadSimulation simulation, double previousRate, TimeSpan start) => simulation switch
    {
        InjectLoad inject => InjectAsync(new ArrivalSchedule(inject.RatePerSecond, inject.RatePerSecond, inject.During), start, inject.During),
        RampingInjectLoad ramp => InjectAsync(new ArrivalSchedule(previousRate, ramp.RatePerSecond, ramp.During), start, ramp.During),
        KeepConstantLoad keep => KeepConstantAsync(keep.Copies, start, keep.During),
        _ => throw new NotSupportedException($"No runner for {simulation.GetType().Name}."),
    };

    private async Task InjectAsync(ArrivalSchedule schedule, TimeSpan start, TimeSpan during)
    {
        for (long arrival = 0; arrival < schedule.Count; arrival++)
        {
            await WaitUntilAsync(start + schedule.DueTime(arrival)).ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
                return;
            Arrive();
        }

        await WaitUntilAsync(start + during).ConfigureAwait(false);
    }

    private void Arrive()
    {
        if (Interlocked.Increment(ref _inFlight) > _run.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            if (Measuring)
                Interlocked.Increment(ref _notStarted);
            _metrics.Step(ScenarioRun.IterationStep).RecordFailure(ScenarioRun.OverloadedCode);
            return;
        }

        _ = ExecuteIterationAsync();
    }

    private async Task KeepConstantAsync(int copies, TimeSpan start, TimeSpan during)
    {
        await WaitUntilAsync(start).ConfigureAwait(false);
        var end = start + during;
        for (var copy = 0; copy < copies; copy++)
            _ = WorkAsync(end);
        await WaitUntilAsync(end).ConfigureAwait(false);
    }

    // One closed-model worker; its last iteration may outlive the simulation and is drained like any other.
    private async Task WorkAsync(TimeSpan end)
    {
        while (_clock.Elapsed < end && !_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _inFlight);
            await ExecuteIterationAsync().ConfigureAwait(false);
        }
    }

    // The caller has counted the iteration in flight. Never throws: a failure is counted on the iteration step.
    private async Task ExecuteIterationAsync()
    {
        var measured = Measuring;
        Interlocked.Increment(ref measured ? ref _measuredIterations : ref _warmUpIterations);
        var context = new IterationContext(Interlocked.Increment(ref _number), !measured, _metrics, _iterations.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Returns to the injector at once, even when the iteration begins with synchronous work.
            await Task.Yield();
            await _run.Iteration(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // Cancelled after the drain ran out; already counted as unfinished.
        }
        catch (Exception exception)
        {
            _metrics.Step(ScenarioRun.IterationStep)
                .RecordFailure(ScenarioRun.ExceptionCodePrefix + exception.GetType().Name, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task WaitUntilAsync(TimeSpan due)
    {
        var remaining = due - _clock.Elapsed;
        if (remaining >= SleepThreshold)
        {
            // Task.Delay may oversleep by a millisecond or so; wake early and spin the rest.
            await Task.Delay(remaining - TimeSpan.FromMilliseconds(1), _stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var spinner = default(SpinWait);
        while (_clock.Elapsed < due && !_stop.IsCancellationRequested)
            spinner.SpinOnce(sleep1Threshold: -1);
    }

    // Waits up to the drain for running iterations; counts and cancels those still running after it.
    private async Task<long> DrainAsync(TimeSpan drain)
    {
        var deadline = _clock.Elapsed + drain;
        while (Interlocked.Read(ref _inFlight) > 0 && _clock.Elapsed < deadline)
            await Task.Delay(DrainPoll, CancellationToken.None).ConfigureAwait(false);

        var unfinished = Interlocked.Read(ref _inFlight);
        var iterationStep = unfinished > 0 ? _metrics.Step(ScenarioRun.IterationStep) : null;
        for (var i = 0; i < unfinished; i++)
            iterationStep!.RecordFailure(ScenarioRun.DrainTimeoutCode);

        _metrics.StopRecording();
        if (unfinished > 0)
        {
            await _iterations.CancelAsync().ConfigureAwait(false);
            var graceEnd = _clock.Elapsed + CancelGrace;
            while (Interlocked.Read(ref _inFlight) > 0 && _clock.Elapsed < graceEnd)
                await Task.Delay(DrainPoll, CancellationToken.None).ConfigureAwait(false);
        }

        return unfinished;
    }

    private async Task ReportProgressAsync(IProgress<ProgressSnapshot> progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                progress.Report(Snapshot());
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; the final snapshot follows.
        }
    }

    private ProgressSnapshot Snapshot() =>
        new(_clock.Elapsed, _run.TotalDuration, _phase, _metrics.Snapshot(), Interlocked.Read(ref _inFlight));
}
