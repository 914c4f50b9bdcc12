using Cluster.LoadTests.Client;
using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;
using Cluster.LoadTests.Scenarios;
using Cluster.LoadTests.Targets;

namespace Cluster.LoadTests;

/// <summary>What a run produced: where its report is, and whether every step went without failures.</summary>
public sealed record LoadTestResult(string ReportDirectory, RunReport Report)
{
    public long Failures => Report.Steps.Sum(s => s.Failed);
}

/// <summary>
/// One load-test run: start (or reach) the target, run the scenario with CPU and memory sampling of the node processes,
/// write reports/&lt;run&gt;/report.{md,json,html}, and stop what was started, also when the scenario fails.
/// </summary>
public static class LoadTestApp
{
    public static async Task<LoadTestResult> RunAsync(LoadTestOptions options, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        var limits = FileLimits.Raise();
        var startedAt = DateTimeOffset.UtcNow;
        var runId = RunReport.NewRunId(options.Scenario, startedAt);
        var work = Path.Combine(Path.GetTempPath(), "cluster-loadtest-" + runId + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        try
        {
            await using var target = await StartTargetAsync(options, work, output, cancellationToken);
            await output.WriteLineAsync($"Target: {target.Description}");
            var host = new ScenarioHost(target, options, output, interactive);
            var (sentBefore, receivedBefore) = (HubConnection.TotalBytesSent, HubConnection.TotalBytesReceived);
            await using var sampler = new ResourceSampler(target.ProcessIds);
            sampler.Start();
            await IScenario.For(options.Scenario).RunAsync(host, cancellationToken);
            await sampler.StopAsync();

            host.Findings.Figures.Add(new Figure("generator bytes sent / received (hub frames)", HubConnection.TotalBytesSent - sentBefore, "bytes",
                $"received {HubConnection.TotalBytesReceived - receivedBefore:N0} bytes"));
            var report = new RunReport
            {
                RunId = runId,
                Scenario = options.Scenario,
                StartedAt = startedAt,
                WarmUp = TimeSpan.FromTicks(host.Phases.Sum(p => p.Outcome.WarmUp.Ticks)),
                Measured = TimeSpan.FromTicks(host.Phases.Sum(p => p.Outcome.Measured.Ticks)),
                Target = target.Description,
                Simulations = host.Phases.Select(p => $"{p.Name}: {p.Simulation}").ToList(),
                Parameters = options.Given,
                Machine = RunReport.DescribeMachine(),
                Steps = host.Phases.SelectMany(p => p.Steps).ToList(),
                TimeSeries = host.Phases.SelectMany(p => p.TimeSeries).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                Resources = sampler.Summary(),
                ResourceSamples = sampler.Samples,
                Figures = host.Findings.Figures,
                Ratios = host.Findings.Ratios,
                Notes = [.. host.Findings.Notes, .. limits is null ? Array.Empty<string>() : [limits], "CPU: 100% is one core; the generator and the nodes share this machine."],
            };
            var directory = ReportWriter.Write(report, options.ReportsDirectory);
            await output.WriteLineAsync();
            foreach (var figure in report.Figures)
            {
                await output.WriteLineAsync($"{figure.Name}: {figure.Value:0.##} {figure.Unit}{(figure.Note is null ? "" : $" ({figure.Note})")}");
            }

            foreach (var ratio in report.Ratios)
            {
                var verdict = ratio.Met switch { true => "met", false => "NOT met", null => "no target" };
                await output.WriteLineAsync($"{ratio.Name}: {ratio.Factor:0.###} ({ratio.Value:0.##} / {ratio.Baseline:0.##}; target {(ratio.Higher ? ">=" : "<=")} {ratio.Target}: {verdict})");
            }

            await output.WriteLineAsync($"Report: {Path.GetFullPath(directory)}");
            return new LoadTestResult(directory, report);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Files of a stopped node may linger a moment; the temp directory is harmless.
            }
        }
    }

    private static Task<Target> StartTargetAsync(LoadTestOptions options, string work, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.Urls.Count > 0)
        {
            TargetStorage? storage = options.Database is null ? null
                : new TargetStorage(options.Database.Contains("Data Source", StringComparison.OrdinalIgnoreCase) ? "Sqlite" : "PostgreSql", options.Database);
            return Task.FromResult(Target.External(options.Urls, options.SigningKey!, options.Issuer, options.Audience, storage));
        }

        if (options.ClusterNodes is { } nodes)
        {
            output.WriteLine($"Starting a local cluster of {nodes} nodes (scripts/cluster.sh)...");
            return Target.StartClusterAsync(nodes, Path.Combine(work, "cluster"), null, output, cancellationToken);
        }

        output.WriteLine("Starting an embedded node...");
        return Target.StartEmbeddedAsync(Path.Combine(work, "node"), null, cancellationToken);
    }
}
