namespace Cluster.LoadTests.Engine;

/// <summary>What <see cref="LoadRunner"/> runs: a scenario's iteration and the load shape to run it under.</summary>
public sealed class ScenarioRun
{
    /// <summary>The step that counts iterations that threw or were never started, and nothing else.</summary>
    public const string IterationStep = "iteration";

    /// <summary>The failure code of an arrival not started because <see cref="MaxInFlight"/> iterations were running.</summary>
    public const string OverloadedCode = "generator.overloaded";

    /// <summary>The failure code of an iteration still running when the drain after the run ran out (it is then cancelled).</summary>
    public const string DrainTimeoutCode = "generator.drain-timeout";

    /// <summary>The prefix of the failure code of an iteration that threw; the exception's type name follows.</summary>
    public const string ExceptionCodePrefix = "exception:";

    /// <summary>The scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>Load run before the measured period, shaped like the first simulation; nothing it does is recorded.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>The measured simulations, run one after another.</summary>
    public required IReadOnlyList<LoadSimulation> Simulations { get; init; }

    /// <summary>One iteration of the scenario; it records into steps itself. An exception is counted on <see cref="IterationStep"/>.</summary>
    public required Func<IterationContext, Task> Iteration { get; init; }

    /// <summary>The open models' guard: an arrival beyond this many running iterations is not started but counted as <see cref="OverloadedCode"/>.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>The warm-up then the simulations, with their total length.</summary>
    internal TimeSpan TotalDuration => WarmUp + Simulations.Aggregate(TimeSpan.Zero, (sum, simulation) => sum + simulation.During);
}
