namespace Cluster.LoadTests.Engine;

/// <summary>Runs a scenario: warm-up, then its simulations one after another, then a drain of running iterations.</summary>
public static class LoadRunner
{
    /// <summary>How long the run waits for running iterations after the last arrival when no drain is given.</summary>
    public static readonly TimeSpan DefaultDrain = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="run"/>, recording into <paramref name="metrics"/> from the end of the warm-up to the end of
    /// the drain. Cancellation stops the arrivals; the run still waits up to <paramref name="drain"/> for running
    /// iterations, then cancels them, and returns normally with <see cref="RunOutcome.Cancelled"/> set.
    /// </summary>
    public static Task<RunOutcome> RunAsync(
        ScenarioRun run,
        MetricsRegistry metrics,
        IProgress<ProgressSnapshot>? progress,
        CancellationToken cancellationToken,
        TimeSpan? drain = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(metrics);
        if (run.Simulations.Count == 0)
            throw new ArgumentException("A run has at least one simulation.", nameof(run));
        ArgumentOutOfRangeException.ThrowIfLessThan(run.WarmUp, TimeSpan.Zero, nameof(run));
        ArgumentOutOfRangeException.ThrowIfLessThan(run.MaxInFlight, 1, nameof(run));
        ArgumentOutOfRangeException.ThrowIfLessThan(drain ?? TimeSpan.Zero, TimeSpan.Zero, nameof(drain));

        // Off the caller's synchronization context, so that iterations start on the thread pool.
        return Task.Run(
            async () =>
            {
                using var execution = new ScenarioExecution(run, metrics, cancellationToken);
                return await execution.RunAsync(progress, drain ?? DefaultDrain).ConfigureAwait(false);
            },
            CancellationToken.None);
    }
}
