using System.Collections.ObjectModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Reports;

/// <summary>Everything a load-test run leaves behind; <see cref="ReportWriter"/> writes it as Markdown, JSON and HTML.</summary>
public sealed record RunReport
{
    /// <summary>The version of the JSON layout, raised when a change would break a reader.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The JSON layout's version (<see cref="CurrentSchemaVersion"/> when written).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The run's id and the name of its directory, such as <c>20261129-221503-send</c> (see <see cref="NewRunId"/>).</summary>
    public required string RunId { get; init; }

    /// <summary>The scenario that ran.</summary>
    public required string Scenario { get; init; }

    /// <summary>When the run (its warm-up) started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The warm-up's length; nothing of it is in the results.</summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>The measured period's length.</summary>
    public required TimeSpan Measured { get; init; }

    /// <summary>What was under load, such as <c>cluster of 3 nodes (PostgreSQL, Redis)</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The simulations, described (<see cref="LoadSimulation.Describe"/>).</summary>
    public required IReadOnlyList<string> Simulations { get; init; }

    /// <summary>The command-line options, as given.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The machine the run ran on (<see cref="DescribeMachine"/>).</summary>
    public required MachineInfo Machine { get; init; }

    /// <summary>The results of each step.</summary>
    public required IReadOnlyList<StepStats> Steps { get; init; }

    /// <summary>The per-second results of each step, by step name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TimeSeriesPoint>> TimeSeries { get; init; } =
        ReadOnlyDictionary<string, IReadOnlyList<TimeSeriesPoint>>.Empty;

    /// <summary>CPU and memory of the generator and the servers, summed up; null when not sampled.</summary>
    public ResourceSummary? Resources { get; init; }

    /// <summary>CPU and memory of the generator and the servers, second by second.</summary>
    public IReadOnlyList<ResourceSample> ResourceSamples { get; init; } = [];

    /// <summary>The headline numbers.</summary>
    public IReadOnlyList<Figure> Figures { get; init; } = [];

    /// <summary>Numbers against baselines, with their targets.</summary>
    public IReadOnlyList<Ratio> Ratios { get; init; } = [];

    /// <summary>Remarks worth keeping with the numbers (what was saturated, what was not measured).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Describes this machine: cores, OS, .NET version, processor (from /proc/cpuinfo) and total memory.</summary>
    public static MachineInfo DescribeMachine() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        ProcFs.ProcessorName(),
        ProcFs.TotalMemoryBytes() ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>A run id of its start (UTC) and scenario, such as <c>20261129-221503-send</c>: sortable and safe as a directory name.</summary>
    public static string NewRunId(string scenario, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var slug = new StringBuilder();
        foreach (var character in scenario.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(character))
                slug.Append(character);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }

        var name = slug.ToString().Trim('-');
        var stamp = startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return name.Length == 0 ? stamp : $"{stamp}-{name}";
    }
}
