using System.Diagnostics;
using System.Net;
using Cluster.Api.LoadTesting;
using Cluster.Api.Realtime;
using Cluster.LoadTests.Client;
using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Scenarios;

/// <summary>
/// Opens N authenticated connections (one user each, spread over the nodes and over several 127.0.0.x source addresses so
/// that one address's ephemeral ports do not cap the count), holds them for the duration with periodic traffic (one call
/// per connection per --traffic-interval), and counts drops. Server memory per connection is the growth of the nodes'
/// managed heap (after a full collection) divided by the connections, next to the same figure for the bare echo hub.
/// </summary>
public sealed class ConnectionsScenario : IScenario
{
    public const string EchoPhase = "connections-echo";
    public const string Phase = "connections";
    private const int ConnectParallelism = 64;
    private const int AddressesPerPhaseDivisor = 20_000;

    public async Task RunAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        var count = host.Options.Connections;
        var addresses = host.Options.SourceAddresses ?? Math.Max(1, (count + AddressesPerPhaseDivisor - 1) / AddressesPerPhaseDivisor);
        Held? echo = null;
        if (host.Options.Baseline)
        {
            // Distinct source addresses per phase: the echo phase's closed sockets linger in TIME_WAIT on theirs.
            echo = await HoldAsync(host, EchoPhase, EchoHub.Path, firstAddress: 2, addresses, cancellationToken);
        }

        var held = await HoldAsync(host, Phase, HubNames.Path, firstAddress: 2 + addresses, addresses, cancellationToken);
        host.Findings.Figures.Add(new Figure("connections held", held.Open, "connections", $"of {count}, for {host.Options.Duration.TotalSeconds:0} s"));
        host.Findings.Figures.Add(new Figure("connections dropped", held.Dropped, "connections"));
        host.Findings.Figures.Add(new Figure("server managed memory per connection", held.ManagedPerConnection, "bytes"));
        host.Findings.Figures.Add(new Figure("server working set per connection", held.WorkingSetPerConnection, "bytes"));
        if (echo is not null)
        {
            host.Findings.Figures.Add(new Figure("echo hub managed memory per connection", echo.ManagedPerConnection, "bytes"));
            host.Findings.Ratios.Add(new Ratio("server memory per idle connection vs bare echo hub (managed heap)", held.ManagedPerConnection, echo.ManagedPerConnection, "bytes", 1.5, Higher: false));
            // The working set is no ratio: the process keeps the memory the echo phase used before this phase began.
            host.Findings.Notes.Add("Memory per connection compares the managed heap after a full collection; the working-set figure of the second phase is low because the process kept what the echo phase had grown to.");
        }
    }

    private static async Task<Held> HoldAsync(ScenarioHost host, string phase, string path, int firstAddress, int addresses, CancellationToken cancellationToken)
    {
        var count = host.Options.Connections;
        var metrics = new MetricsRegistry();
        var connect = metrics.Step("connect");
        var traffic = metrics.Step("traffic");
        var dropped = metrics.Step("dropped");
        var connections = new HubConnection?[count];
        var expectedOpen = 0;
        var before = await MemoryAsync(host, cancellationToken);
        await host.Output.WriteLineAsync($"== {phase}: opening {count} connections to {path} from 127.0.0.{firstAddress}..{firstAddress + addresses - 1}");
        metrics.StartRecording();
        var clock = Stopwatch.StartNew();
        try
        {
            var opened = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var options = new HubConnectionOptions { LocalAddress = IPAddress.Parse($"127.0.0.{firstAddress + (i % addresses)}") };
                var started = Stopwatch.GetTimestamp();
                try
                {
                    connections[i] = await HubConnection.ConnectAsync(host.Target.Node(i), path, host.Target.Tokens.Mint($"lt-{host.Tag}-conn-{i}", "patient"), options, ct);
                    connect.RecordOk(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception ex) when (ex is HubCallException or System.Net.WebSockets.WebSocketException or HttpRequestException or OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    connect.RecordFailure("connect." + ex.GetType().Name, Stopwatch.GetElapsedTime(started));
                }

                if (Interlocked.Increment(ref opened) % 1000 == 0)
                {
                    await host.Output.WriteLineAsync($"  {opened}/{count} connections after {clock.Elapsed.TotalSeconds:0.0} s");
                }
            });
            expectedOpen = connections.Count(c => c is not null);
            var afterOpen = await MemoryAsync(host, cancellationToken);
            await host.Output.WriteLineAsync($"  {expectedOpen} open after {clock.Elapsed.TotalSeconds:0.0} s; holding for {host.Options.Duration.TotalSeconds:0} s");

            // Hold: every connection makes one call per interval, spread evenly over it; bounded by the duration.
            var hold = Stopwatch.StartNew();
            var live = connections.Where(c => c is not null).Select(c => c!).ToArray();
            var gap = live.Length == 0 ? host.Options.TrafficInterval : host.Options.TrafficInterval / live.Length;
            var calls = new List<Task>();
            var next = 0L;
            while (hold.Elapsed < host.Options.Duration && live.Length > 0 && !cancellationToken.IsCancellationRequested)
            {
                var due = TimeSpan.FromTicks(gap.Ticks * next);
                if (due > hold.Elapsed)
                {
                    await Task.Delay(due - hold.Elapsed < TimeSpan.FromMilliseconds(2) ? TimeSpan.FromMilliseconds(1) : due - hold.Elapsed, cancellationToken);
                    continue;
                }

                var connection = live[next % live.Length];
                next++;
                if (connection.IsOpen)
                {
                    calls.Add(CallAsync(connection, path, traffic, cancellationToken));
                }

                if (calls.Count > 1000)
                {
                    calls.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(calls);
            var open = live.Count(c => c.IsOpen);
            for (var lost = expectedOpen - open; lost > 0; lost--)
            {
                dropped.RecordFailure("connection.dropped");
            }

            metrics.StopRecording();
            var perConnection = expectedOpen == 0 ? (0d, 0d)
                : ((afterOpen.ManagedBytes - before.ManagedBytes) / (double)expectedOpen, (afterOpen.WorkingSetBytes - before.WorkingSetBytes) / (double)expectedOpen);
            var steps = metrics.Snapshot().Select(s => s with { Name = phase + "." + s.Name }).ToList();
            host.AddPhase(new PhaseResult(phase, $"open {count} connections, hold {host.Options.Duration.TotalSeconds:0} s, one call per {host.Options.TrafficInterval.TotalSeconds:0} s each",
                new RunOutcome(DateTimeOffset.UtcNow - clock.Elapsed, TimeSpan.Zero, clock.Elapsed, count, 0), steps,
                metrics.Snapshot().ToDictionary(s => phase + "." + s.Name, s => metrics.TimeSeries(s.Name), StringComparer.Ordinal)));
            await host.Output.WriteLineAsync($"  {open} of {expectedOpen} still open at the end; {perConnection.Item1:0} managed bytes per connection on the server");
            return new Held(open, expectedOpen - open, perConnection.Item1, perConnection.Item2);
        }
        finally
        {
            await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (c, _) => await c!.DisposeAsync());
        }
    }

    private static async Task CallAsync(HubConnection connection, string path, StepMetrics traffic, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (path == EchoHub.Path)
            {
                await connection.InvokeAsync(nameof(EchoHub.Echo), ["ping"], cancellationToken);
            }
            else
            {
                var result = await connection.InvokeAsync(nameof(MessagingHub.Sync), [new SyncArgs(0, 1)], cancellationToken);
                if (!HubResults.IsOk(result, out var code))
                {
                    traffic.RecordFailure(code, Stopwatch.GetElapsedTime(started));
                    return;
                }
            }

            traffic.RecordOk(Stopwatch.GetElapsedTime(started));
        }
        catch (HubCallException)
        {
            traffic.RecordFailure("hub.connection-closed", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The nodes' memory together.</summary>
    private static async Task<NodeMemory> MemoryAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, host.Target.Nodes.Count).Select(i => Baselines.NodeMemoryAsync(host.Target, i, cancellationToken)));
        return new NodeMemory(all.Sum(m => m.ManagedBytes), all.Sum(m => m.WorkingSetBytes));
    }

    private sealed record Held(int Open, int Dropped, double ManagedPerConnection, double WorkingSetPerConnection);
}
