using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.LoadTests.Reports;
using Xunit.Abstractions;

namespace Cluster.LoadTests.Tests.Smoke;

/// <summary>The smoke runs share the machine with node processes: one at a time, after each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SmokeCollection
{
    public const string Name = "load-test smoke runs";
}

/// <summary>
/// A short, slow run of each scenario end to end (the generator starts its own node, or a local cluster with
/// scripts/cluster.sh): no step may fail and the report must be complete. Speed is not asserted here; it lives in
/// docs/benchmarks.md.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed partial class SmokeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("loadtest-smoke-").FullName;

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Send_on_an_embedded_node_runs_without_errors_and_reports_every_step()
    {
        var report = await RunAsync("send", "--rate", "10", "--ramp", "1", "--patients", "4", "--clinicians", "2", "--read-every", "2");

        AssertSteps(report, "baseline-insert.insert", "baseline-echo.ack", "baseline-echo.delivery", "send.ack", "send.delivery", "send.read-confirmation");
        Assert.Contains(report.Simulations, s => s.StartsWith("send: ramp to 10 per 1s over 1s, then inject 10 per 1s", StringComparison.Ordinal));
        Assert.Contains(report.Ratios, r => r.Name.StartsWith("p99 send-to-receive vs bare echo hub", StringComparison.Ordinal) && double.IsFinite(r.Factor));
    }

    [Fact(Timeout = 120_000)]
    public async Task Send_in_the_closed_model_reports_the_throughput_ratio_to_raw_inserts()
    {
        var report = await RunAsync("send", "--concurrency", "2", "--patients", "4", "--clinicians", "2", "--read-every", "0");

        AssertSteps(report, "baseline-insert.insert", "send.ack", "send.delivery");
        var ratio = Assert.Single(report.Ratios, r => r.Name.StartsWith("durable messages/s vs raw inserts/s", StringComparison.Ordinal));
        Assert.True(ratio.Value > 0 && ratio.Baseline > 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Fanout_on_an_embedded_node_delivers_every_message_to_every_member()
    {
        var report = await RunAsync("fanout", "--rate", "4", "--members", "5", "--patients", "2");

        AssertSteps(report, "fanout.ack", "fanout.delivery");
        var ack = report.Steps.Single(s => s.Name == "fanout.ack");
        var delivery = report.Steps.Single(s => s.Name == "fanout.delivery");
        Assert.Equal(ack.Ok * 5, delivery.Ok);
    }

    [Fact(Timeout = 240_000)]
    public async Task Fanout_on_a_two_node_cluster_compares_cross_node_with_in_process_delivery()
    {
        var report = await RunAsync("fanout", "--cluster", "2", "--rate", "4", "--members", "4", "--patients", "2");

        AssertSteps(report, "fanout-inprocess.ack", "fanout-inprocess.delivery", "fanout.ack", "fanout.delivery");
        Assert.Contains("2 nodes", report.Target, StringComparison.Ordinal);
        var ratio = Assert.Single(report.Ratios);
        Assert.True(ratio.Value > 0 && ratio.Baseline > 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Connections_are_held_without_drops_and_memory_per_connection_is_reported()
    {
        var report = await RunAsync("connections", "--connections", "40", "--source-addresses", "2", "--traffic-interval", "1");

        AssertSteps(report, "connections-echo.connect", "connections-echo.traffic", "connections.connect", "connections.traffic");
        Assert.Equal(40, report.Steps.Single(s => s.Name == "connections.connect").Ok);
        Assert.Equal(0, report.Figures.Single(f => f.Name == "connections dropped").Value);
        Assert.Equal(40, report.Figures.Single(f => f.Name == "connections held").Value);
        var memory = Assert.Single(report.Ratios);
        // Forty connections are too few for a stable per-connection figure (a collection moves more than they take): only its presence is checked.
        Assert.True(double.IsFinite(memory.Value) && double.IsFinite(memory.Baseline), "managed bytes per connection on both hubs");
    }

    [Fact(Timeout = 120_000)]
    public async Task Baseline_reports_raw_inserts_and_the_echo_hub()
    {
        var report = await RunAsync("baseline", "--rate", "10");

        AssertSteps(report, "baseline-insert.insert", "baseline-echo.ack", "baseline-echo.delivery");
        Assert.Contains(report.Figures, f => f.Name == "raw durable inserts per second" && f.Value > 0);
    }

    [Fact]
    public void A_bad_command_line_is_refused_with_a_reason()
    {
        Assert.Contains("Unknown scenario", Assert.Throws<UsageException>(() => LoadTestOptions.Parse(["sned"])).Message, StringComparison.Ordinal);
        Assert.Contains("--rate", Assert.Throws<UsageException>(() => LoadTestOptions.Parse(["send", "--rate", "fast"])).Message, StringComparison.Ordinal);
        Assert.Contains("--signing-key", Assert.Throws<UsageException>(() => LoadTestOptions.Parse(["send", "--url", "http://127.0.0.1:5000"])).Message, StringComparison.Ordinal);
        Assert.Contains("not both", Assert.Throws<UsageException>(() => LoadTestOptions.Parse(["send", "--cluster", "--url", "http://127.0.0.1:5000"])).Message, StringComparison.Ordinal);
        var options = LoadTestOptions.Parse(["send", "--cluster", "--duration", "2m", "--concurrency", "8"]);
        Assert.Equal(3, options.ClusterNodes);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal(8, options.InsertWriters);
    }

    /// <summary>Runs a scenario briefly (1 s warm-up, 2 s per phase) and checks what every report must hold.</summary>
    private async Task<RunReport> RunAsync(params string[] args)
    {
        var options = LoadTestOptions.Parse([.. args, "--warmup", "1", "--duration", "2", "--reports", _reports]);
        using var console = new StringWriter();
        LoadTestResult result;
        try
        {
            result = await LoadTestApp.RunAsync(options, console, interactive: false, CancellationToken.None);
        }
        finally
        {
            output.WriteLine(console.ToString());
        }

        var failures = result.Report.Steps.Where(s => s.Failed > 0).Select(s => $"{s.Name}: {string.Join(", ", s.FailuresByCode.Select(f => $"{f.Key} x{f.Value}"))}");
        Assert.Empty(failures);
        AssertWellFormed(result);
        return result.Report;
    }

    private static void AssertSteps(RunReport report, params string[] names)
    {
        foreach (var name in names)
        {
            var step = Assert.Single(report.Steps, s => s.Name == name);
            Assert.True(step.Ok > 0, $"{name} recorded nothing");
            Assert.True(step.Latency.P50Ms <= step.Latency.P99Ms && step.Latency.P99Ms <= step.Latency.MaxMs, $"{name} percentiles out of order");
        }
    }

    private static void AssertWellFormed(LoadTestResult result)
    {
        var directory = result.ReportDirectory;
        Assert.True(File.Exists(Path.Combine(directory, ReportWriter.MarkdownFile)));
        var json = Path.Combine(directory, ReportWriter.JsonFile);
        var html = File.ReadAllText(Path.Combine(directory, ReportWriter.HtmlFile));
        var markdown = File.ReadAllText(Path.Combine(directory, ReportWriter.MarkdownFile));

        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal(1, document.RootElement.GetProperty("schemaVersion").GetInt32());
        }

        var read = ReportReader.Read(json);
        Assert.Equal(result.Report.Steps.Select(s => (s.Name, s.Ok)), read.Steps.Select(s => (s.Name, s.Ok)));
        Assert.NotNull(read.Resources);
        Assert.NotEmpty(read.ResourceSamples);

        Assert.Contains("| step |", markdown, StringComparison.Ordinal);
        foreach (var step in result.Report.Steps)
        {
            Assert.Contains(step.Name, markdown, StringComparison.Ordinal);
            Assert.Contains(step.Name, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Self-contained: nothing loaded from elsewhere (a CDN script, a stylesheet, a font).
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", html);
        Assert.DoesNotContain("url(http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(SvgOpen().Count(html) >= 3, "throughput, latency and CPU charts");
        Assert.Equal(SvgOpen().Count(html), Regex.Count(html, "</svg>"));
    }

    [GeneratedRegex("<svg[ >]")]
    private static partial Regex SvgOpen();
}
