using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Reports;

/// <summary>The steps table every report shows, in the same columns: the console, Markdown and HTML only lay it out.</summary>
internal static class StepTable
{
    public static readonly IReadOnlyList<string> Headers =
        ["step", "requests", "ok", "failed", "ok/s", "min ms", "p50 ms", "p75 ms", "p95 ms", "p99 ms", "max ms", "bytes"];

    public static readonly IReadOnlyList<string> FailureHeaders = ["step", "code", "count"];

    /// <summary>Whether column <paramref name="column"/> holds numbers (right-aligned): all but the step's name.</summary>
    public static bool IsNumeric(int column) => column > 0;

    public static IReadOnlyList<string> Row(StepStats step) =>
    [
        step.Name,
        Formats.Count(step.Requests),
        Formats.Count(step.Ok),
        Formats.Count(step.Failed),
        Formats.Rate(step.OkPerSecond),
        Formats.Ms(step.Latency.MinMs),
        Formats.Ms(step.Latency.P50Ms),
        Formats.Ms(step.Latency.P75Ms),
        Formats.Ms(step.Latency.P95Ms),
        Formats.Ms(step.Latency.P99Ms),
        Formats.Ms(step.Latency.MaxMs),
        Formats.Bytes(step.Bytes),
    ];

    /// <summary>Each step's failures by code, the most frequent first.</summary>
    public static IEnumerable<IReadOnlyList<string>> FailureRows(IEnumerable<StepStats> steps) =>
        from step in steps
        from failure in step.FailuresByCode.OrderByDescending(failure => failure.Value).ThenBy(failure => failure.Key, StringComparer.Ordinal)
        select (IReadOnlyList<string>)[step.Name, failure.Key, Formats.Count(failure.Value)];
}
