using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Scenarios;

/// <summary>The ceilings alone: raw durable single-row inserts into the target's database, and the bare echo hub at the given load.</summary>
public sealed class BaselineScenario : IScenario
{
    public async Task RunAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        var senders = Enumerable.Range(0, host.Options.Patients ?? 50).Select(i => $"lt-{host.Tag}-echo-pat-{i}").ToList();
        var receivers = Enumerable.Range(0, host.Options.Clinicians).Select(i => $"lt-{host.Tag}-echo-clin-{i}").ToList();
        var insert = await Baselines.RawInsertAsync(host, cancellationToken);
        var echo = await Baselines.EchoAsync(host, host.Shape(), senders, receivers, cancellationToken);
        if (insert is not null)
        {
            host.Findings.Figures.Add(new Figure("raw durable inserts per second", ScenarioHost.Step(insert, "insert").OkPerSecond, "rows/s", $"{host.Options.InsertWriters} writers"));
        }

        var delivery = ScenarioHost.Step(echo, "delivery");
        host.Findings.Figures.Add(new Figure("echo hub pushes per second", delivery.OkPerSecond, "pushes/s", host.DescribeShape()));
        host.Findings.Figures.Add(new Figure("echo hub p99 send-to-receive", delivery.Latency.P99Ms, "ms"));
    }
}
