using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;
using Cluster.LoadTests.Targets;

namespace Cluster.LoadTests.Scenarios;

/// <summary>One measured phase of a scenario: its steps and time series, under the phase's name.</summary>
public sealed record PhaseResult(string Name, string Simulation, RunOutcome Outcome, IReadOnlyList<StepStats> Steps, IReadOnlyDictionary<string, IReadOnlyList<TimeSeriesPoint>> TimeSeries);

/// <summary>What a scenario hands to the report besides its phases.</summary>
public sealed class ScenarioFindings
{
    public List<Figure> Figures { get; } = [];

    public List<Ratio> Ratios { get; } = [];

    public List<string> Notes { get; } = [];
}

/// <summary>What a scenario runs with: the target, the options, the console, and a way to run a measured phase.</summary>
public sealed class ScenarioHost(Target target, LoadTestOptions options, TextWriter output, bool interactive)
{
    private readonly List<PhaseResult> _phases = [];

    public Target Target { get; } = target;

    public LoadTestOptions Options { get; } = options;

    public TextWriter Output { get; } = output;

    public ScenarioFindings Findings { get; } = new();

    public IReadOnlyList<PhaseResult> Phases => _phases;

    /// <summary>A tag that keeps this run's users and conversations apart from any other run's on the same database.</summary>
    public string Tag { get; } = DateTimeOffset.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>
    /// The load shape of the options: a closed model when a concurrency is given, otherwise an injected rate, preceded by
    /// a linear ramp from zero when --ramp is given.
    /// </summary>
    public IReadOnlyList<LoadSimulation> Shape(TimeSpan? during = null)
    {
        if (Options.Concurrency is { } copies)
        {
            return [LoadSimulation.KeepConstant(copies, during ?? Options.Duration)];
        }

        var constant = LoadSimulation.Inject(Options.Rate, TimeSpan.FromSeconds(1), during ?? Options.Duration);
        return Options.Ramp is { } ramp ? [LoadSimulation.RampingInject(Options.Rate, TimeSpan.FromSeconds(1), ramp), constant] : [constant];
    }

    /// <summary>How <see cref="Shape"/> reads in a report.</summary>
    public string DescribeShape() => string.Join(", then ", Shape().Select(s => s.Describe()));

    /// <summary>Runs <paramref name="iteration"/> with warm-up then <paramref name="simulation"/>; step names are prefixed with the phase's name.</summary>
    public Task<PhaseResult> RunPhaseAsync(string name, LoadSimulation simulation, Func<IterationContext, Task> iteration, CancellationToken cancellationToken, TimeSpan? warmUp = null) =>
        RunPhaseAsync(name, [simulation], iteration, cancellationToken, warmUp);

    /// <summary>Runs <paramref name="iteration"/> with warm-up then the <paramref name="simulations"/> one after another.</summary>
    public async Task<PhaseResult> RunPhaseAsync(string name, IReadOnlyList<LoadSimulation> simulations, Func<IterationContext, Task> iteration, CancellationToken cancellationToken, TimeSpan? warmUp = null)
    {
        var described = string.Join(", then ", simulations.Select(s => s.Describe()));
        await Output.WriteLineAsync($"== {name}: {described} after {(warmUp ?? Options.WarmUp).TotalSeconds:0.#} s warm-up");
        var metrics = new MetricsRegistry();
        var run = new ScenarioRun { Name = name, WarmUp = warmUp ?? Options.WarmUp, Simulations = simulations, Iteration = iteration, MaxInFlight = Options.MaxInFlight };
        var outcome = await LoadRunner.RunAsync(run, metrics, ConsoleReport.Progress(Output, interactive), cancellationToken, TimeSpan.FromSeconds(10));
        var steps = metrics.Snapshot().Select(s => s with { Name = name + "." + s.Name }).ToList();
        var series = metrics.Snapshot().ToDictionary(s => name + "." + s.Name, s => metrics.TimeSeries(s.Name), StringComparer.Ordinal);
        await Output.WriteLineAsync();
        ConsoleReport.WriteTable(Output, steps);
        var phase = new PhaseResult(name, described, outcome, steps, series);
        _phases.Add(phase);
        return phase;
    }

    /// <summary>Adds a phase measured without the runner (such as opening connections); its steps are named as given.</summary>
    public void AddPhase(PhaseResult phase)
    {
        ConsoleReport.WriteTable(Output, phase.Steps);
        _phases.Add(phase);
    }

    public static StepStats Step(PhaseResult phase, string step) =>
        phase.Steps.Single(s => s.Name == phase.Name + "." + step);

    public static StepStats? FindStep(PhaseResult phase, string step) =>
        phase.Steps.SingleOrDefault(s => s.Name == phase.Name + "." + step);
}
