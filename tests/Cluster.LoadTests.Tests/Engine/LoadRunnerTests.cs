using System.Collections.Concurrent;
using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Tests.Engine;

/// <summary>The runner's load models, warm-up, failure accounting and cancellation. Counts only: the machine is noisy.</summary>
public sealed class LoadRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task InjectStartsRateTimesDurationIterations()
    {
        var numbers = new ConcurrentBag<long>();
        var metrics = new MetricsRegistry();
        var run = Run([LoadSimulation.Inject(20, OneSecond, TimeSpan.FromSeconds(2))], context =>
        {
            numbers.Add(context.Number);
            context.Metrics.Step("work").RecordOk(TimeSpan.FromMilliseconds(1), bytes: 10);
            return Task.CompletedTask;
        });

        var outcome = await LoadRunner.RunAsync(run, metrics, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(40, outcome.Iterations);
        Assert.Equal(0, outcome.NotStarted);
        Assert.Equal(Enumerable.Range(1, 40).Select(number => (long)number), numbers.Order());
        var work = Assert.Single(metrics.Snapshot());
        Assert.Equal((40, 0, 400L), (work.Ok, work.Failed, work.Bytes));

        var series = metrics.TimeSeries("work");
        Assert.True(series.Count >= 2, $"{series.Count} points for a 2 s period");
        Assert.Equal(Enumerable.Range(1, series.Count), series.Select(point => point.Second));
        Assert.Equal(40, series.Sum(point => point.Ok));
    }

    [Fact]
    public async Task RampingInjectStartsAsManyIterationsAsTheIntegralOfItsRate()
    {
        var started = 0;
        // 0 -> 40/s over 1 s: 20 arrivals; then 40 -> 20/s over 1 s: 30 arrivals.
        var run = Run(
            [LoadSimulation.RampingInject(40, OneSecond, OneSecond), LoadSimulation.RampingInject(20, OneSecond, OneSecond)],
            _ =>
            {
                Interlocked.Increment(ref started);
                return Task.CompletedTask;
            });

        var outcome = await LoadRunner.RunAsync(run, new MetricsRegistry(), null, CancellationToken.None).WaitAsync(Bound);

        Assert.InRange(outcome.Iterations, 49, 51);
        Assert.Equal(outcome.Iterations, started);
    }

    [Fact]
    public async Task KeepConstantNeverRunsMoreIterationsAtOnceThanItsCopies()
    {
        var running = 0;
        var most = 0;
        var run = Run([LoadSimulation.KeepConstant(3, OneSecond)], async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref running);
        });

        var outcome = await LoadRunner.RunAsync(run, new MetricsRegistry(), null, CancellationToken.None).WaitAsync(Bound);

        Assert.InRange(most, 1, 3);
        Assert.True(outcome.Iterations >= 3, $"{outcome.Iterations} iterations");
        Assert.Equal(0, running);
    }

    [Fact]
    public async Task TheWarmUpRunsLoadButRecordsNothing()
    {
        var metrics = new MetricsRegistry();
        var warmUpIterations = 0;
        var run = Run([LoadSimulation.Inject(5, OneSecond, OneSecond)], context =>
        {
            if (context.IsWarmUp)
            {
                Interlocked.Increment(ref warmUpIterations);
                context.Metrics.Step("warm-up only").RecordOk(TimeSpan.FromMilliseconds(1));
            }

            context.Metrics.Step("work").RecordOk(TimeSpan.FromMilliseconds(1));
            return Task.CompletedTask;
        }, warmUp: OneSecond);

        var outcome = await LoadRunner.RunAsync(run, metrics, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(5, warmUpIterations);
        Assert.Equal(5, outcome.WarmUpIterations);
        Assert.Equal(5, outcome.Iterations);
        Assert.Equal(0, metrics.Step("warm-up only").Snapshot().Requests);
        Assert.Equal(5, metrics.Step("work").Snapshot().Ok);
        Assert.True(outcome.WarmUp >= OneSecond);
    }

    [Fact]
    public async Task AnIterationThatThrowsIsCountedAsAnExceptionFailure()
    {
        var metrics = new MetricsRegistry();
        var snapshots = new ConcurrentQueue<ProgressSnapshot>();
        var run = Run([LoadSimulation.Inject(10, OneSecond, OneSecond)], async context =>
        {
            if (context.Number % 2 == 1)
                throw new InvalidOperationException("synchronous");
            await Task.Yield();
            throw new TimeoutException("asynchronous");
        });

        await LoadRunner.RunAsync(run, metrics, new SynchronousProgress(snapshots.Enqueue), CancellationToken.None).WaitAsync(Bound);

        var iteration = Assert.Single(metrics.Snapshot());
        Assert.Equal(ScenarioRun.IterationStep, iteration.Name);
        Assert.Equal((10, 0, 10L), (iteration.Requests, iteration.Ok, iteration.Failed));
        Assert.Equal(5, iteration.FailuresByCode["exception:InvalidOperationException"]);
        Assert.Equal(5, iteration.FailuresByCode["exception:TimeoutException"]);
        Assert.Equal(ProgressSnapshot.DonePhase, snapshots.Last().Phase);
        Assert.Equal(10, snapshots.Last().Steps.Single().Failed);
    }

    [Fact]
    public async Task ArrivalsBeyondMaxInFlightAreCountedAsOverloaded()
    {
        var metrics = new MetricsRegistry();
        var run = Run([LoadSimulation.Inject(20, OneSecond, OneSecond)], context => Task.Delay(Timeout.Infinite, context.Cancellation),
            maxInFlight: 4);

        var outcome = await LoadRunner.RunAsync(run, metrics, null, CancellationToken.None, drain: TimeSpan.FromMilliseconds(100)).WaitAsync(Bound);

        Assert.Equal((4L, 16L, 4L), (outcome.Iterations, outcome.NotStarted, outcome.Unfinished));
        var iteration = metrics.Step(ScenarioRun.IterationStep).Snapshot();
        Assert.Equal(16, iteration.FailuresByCode[ScenarioRun.OverloadedCode]);
        Assert.Equal(4, iteration.FailuresByCode[ScenarioRun.DrainTimeoutCode]);
    }

    [Fact]
    public async Task CancellationStopsTheRunAndCancelsWhatIsStillRunning()
    {
        using var cancellation = new CancellationTokenSource();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Run([LoadSimulation.Inject(20, OneSecond, TimeSpan.FromMinutes(10))], async context =>
        {
            first.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.Cancellation);
        });

        var running = LoadRunner.RunAsync(run, new MetricsRegistry(), null, cancellation.Token, drain: TimeSpan.FromMilliseconds(100));
        await first.Task.WaitAsync(Bound);
        await cancellation.CancelAsync();
        var outcome = await running.WaitAsync(Bound);

        Assert.True(outcome.Cancelled);
        Assert.InRange(outcome.Iterations, 1, 12_000 - 1);
        Assert.Equal(outcome.Iterations, outcome.Unfinished);
        Assert.True(outcome.Measured < TimeSpan.FromMinutes(1), $"measured {outcome.Measured}");
    }

    private static ScenarioRun Run(
        IReadOnlyList<LoadSimulation> simulations, Func<IterationContext, Task> iteration, TimeSpan warmUp = default, int maxInFlight = 10_000) =>
        new() { Name = "test", Simulations = simulations, Iteration = iteration, WarmUp = warmUp, MaxInFlight = maxInFlight };

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private sealed class SynchronousProgress(Action<ProgressSnapshot> report) : IProgress<ProgressSnapshot>
    {
        public void Report(ProgressSnapshot value) => report(value);
    }
}
