using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Tests.Reports;

/// <summary>A report with every part filled in, as a run would leave it.</summary>
internal static class SampleReport
{
    public static RunReport Create(string note = "the servers were not saturated")
    {
        var latency = new LatencyStats(0.8, 4.2, 3.9, 5.1, 8.7, 14.2, 61.3, 5_980);
        var send = new StepStats("send", 6_000, 5_980, 20, new Dictionary<string, long> { ["http.503"] = 15, ["timeout"] = 5 },
            199.3, latency, 1_234_567, TimeSpan.FromSeconds(30));
        var receive = new StepStats("receive <push>", 5_980, 5_980, 0, new Dictionary<string, long>(), 199.3, latency, 0, TimeSpan.FromSeconds(30));
        var startedAt = new DateTimeOffset(2026, 11, 29, 22, 15, 3, TimeSpan.Zero);

        return new RunReport
        {
            RunId = RunReport.NewRunId("send", startedAt),
            Scenario = "send",
            StartedAt = startedAt,
            WarmUp = TimeSpan.FromSeconds(10),
            Measured = TimeSpan.FromSeconds(30),
            Target = "embedded node http://127.0.0.1:5123 (SQLite)",
            Simulations = ["inject 200 per 1s for 30s"],
            Parameters = new Dictionary<string, string> { ["--rate"] = "200", ["--duration"] = "30s" },
            Machine = RunReport.DescribeMachine(),
            Steps = [send, receive],
            TimeSeries = new Dictionary<string, IReadOnlyList<TimeSeriesPoint>>
            {
                ["send"] = [.. Enumerable.Range(1, 30).Select(second => new TimeSeriesPoint(second, 199 + second % 3, second == 7 ? 20 : 0, 3.5 + second % 4, 12 + second % 5))],
                ["receive <push>"] = [.. Enumerable.Range(1, 30).Select(second => new TimeSeriesPoint(second, 199, 0, 4, 15))],
            },
            Resources = new ResourceSummary(8, 35.5, 61.2, 180.4, 240.9, 512L << 20, 96L << 20),
            ResourceSamples = [.. Enumerable.Range(1, 30).Select(second => new ResourceSample(second, 30 + second % 7, 170 + second % 11, 500L << 20, 90L << 20))],
            Figures = [new Figure("sustained send rate", 199.3, "msg/s", "p99 under 50 ms")],
            Ratios =
            [
                new Ratio("cluster vs node throughput", 520, 200, "msg/s", 2.5, Higher: true),
                new Ratio("cluster vs node p99", 30, 14.2, "ms", 1.5, Higher: false),
            ],
            Notes = [note],
        };
    }
}
