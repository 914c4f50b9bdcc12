using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Cluster.Api.Realtime;
using Cluster.LoadTests.Client;
using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;
using Cluster.LoadTests.Targets;
using Npgsql;

namespace Cluster.LoadTests.Scenarios;

/// <summary>
/// Fan-out: conversations waiting in a care team's pool, watched by every member (default 50) connected across the
/// nodes; each message is delivered to every member. Measures deliveries per second and per-delivery latency. With
/// --cluster, the same load first runs on one node on the same PostgreSQL with the in-process backplane (the in-process
/// fan-out reference) and the cross-node figure is reported as a ratio to it.
/// </summary>
public sealed class FanoutScenario : IScenario
{
    public const string InProcessPhase = "fanout-inprocess";
    public const string Phase = "fanout";

    public async Task RunAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        PhaseResult? reference = null;
        if (host.Options.Baseline && host.Target.Nodes.Count > 1 && host.Target.Storage is { Provider: "PostgreSql" } storage)
        {
            reference = await RunInProcessReferenceAsync(host, storage.ConnectionString, cancellationToken);
        }
        else if (host.Target.Nodes.Count == 1)
        {
            host.Findings.Notes.Add("One node: every delivery is in-process. Run with --cluster for the cross-node ratio.");
        }

        var phase = await RunOnAsync(host, host.Target, Phase, cancellationToken);
        var deliveries = ScenarioHost.Step(phase, "delivery");
        host.Findings.Figures.Add(new Figure("fan-out deliveries per second", deliveries.OkPerSecond, "deliveries/s", $"{host.Options.Members} members, {host.DescribeShape()}"));
        host.Findings.Figures.Add(new Figure("p99 fan-out delivery latency", deliveries.Latency.P99Ms, "ms"));
        if (reference is not null)
        {
            var inProcess = ScenarioHost.Step(reference, "delivery");
            host.Findings.Ratios.Add(new Ratio("cross-node fan-out deliveries/s vs in-process", deliveries.OkPerSecond, inProcess.OkPerSecond, "per s", 0.5, Higher: true));
            if (host.Options.Concurrency is null)
            {
                host.Findings.Notes.Add("The message rate was injected (open model): both phases deliver what is injected unless saturated; run with --concurrency for a throughput ratio.");
            }
        }
    }

    private static async Task<PhaseResult> RunInProcessReferenceAsync(ScenarioHost host, string clusterConnection, CancellationToken cancellationToken)
    {
        var database = "loadtest_single_" + host.Tag.Replace('-', '_');
        await using (var source = NpgsqlDataSource.Create(clusterConnection))
        {
            await using var create = source.CreateCommand($"CREATE DATABASE {database}");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connection = new NpgsqlConnectionStringBuilder(clusterConnection) { Database = database, MaxPoolSize = 100, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        var directory = Path.Combine(Path.GetTempPath(), "loadtest-" + host.Tag + "-single");
        try
        {
            await using var single = await Target.StartSingleOnPostgresAsync(directory, connection, null, cancellationToken);
            await host.Output.WriteLineAsync($"In-process reference: {single.Description}");
            return await RunOnAsync(host, single, InProcessPhase, cancellationToken);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static async Task<PhaseResult> RunOnAsync(ScenarioHost host, Target target, string phaseName, CancellationToken cancellationToken)
    {
        var patients = host.Options.Patients ?? 10;
        var setup = new PortalSetup(target);
        await host.Output.WriteLineAsync($"Registering {patients} patients and a pool of {host.Options.Members} members...");
        var organisation = await setup.RegisterAsync(host.Tag, host.Options.Members, patients, assignToClinicians: false, cancellationToken);
        var conversations = await setup.StartConversationsAsync(organisation, cancellationToken);

        var pending = new ConcurrentDictionary<string, Fan>(StringComparer.Ordinal);
        var members = new List<HubConnection>();
        var senders = new List<HubConnection>();
        try
        {
            // Members spread over the nodes; patients all on the first node: with several nodes most deliveries cross nodes.
            await Parallel.ForEachAsync(organisation.Clinicians.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (member, ct) =>
            {
                var connection = await HubConnection.ConnectAsync(target.Node(member.i), HubNames.Path, target.Tokens.Mint(member.id, "clinician"),
                    new HubConnectionOptions { OnPush = (name, arguments, at) => OnMemberPush(pending, name, arguments, at) }, ct);
                lock (members)
                {
                    members.Add(connection);
                }
            });
            foreach (var patient in organisation.Patients)
            {
                senders.Add(await HubConnection.ConnectAsync(target.Node(0), HubNames.Path, target.Tokens.Mint(patient, "patient"), null, cancellationToken));
            }

            var run = host.Tag;
            var body = "Question for the team about my lab results from last week.";
            return await host.RunPhaseAsync(phaseName, host.Shape(), async context =>
            {
                var index = (int)(context.Number % senders.Count);
                var clientMessageId = $"fan-{run}-{phaseName}-{context.Number}";
                // An iteration started in warm-up records none of its steps, also when its answers arrive after it: the
                // measured deliveries are then exactly the measured messages times the members.
                var fan = new Fan(organisation.Clinicians.Count, context.Metrics.Step("delivery"), Stopwatch.GetTimestamp(), context.IsWarmUp);
                var ack = context.IsWarmUp ? null : context.Metrics.Step("ack");
                pending[clientMessageId] = fan;
                try
                {
                    var (result, bytes) = await senders[index].CallAsync(nameof(MessagingHub.SendMessage),
                        [new SendMessageArgs(conversations[organisation.Patients[index]], body, clientMessageId)], context.Cancellation);
                    if (!HubResults.IsOk(result, out var code))
                    {
                        pending.TryRemove(clientMessageId, out _);
                        ack?.RecordFailure(code, Stopwatch.GetElapsedTime(fan.Started), bytes);
                        return;
                    }

                    ack?.RecordOk(Stopwatch.GetElapsedTime(fan.Started), bytes);
                }
                catch (HubCallException)
                {
                    pending.TryRemove(clientMessageId, out _);
                    ack?.RecordFailure("hub.connection-closed", Stopwatch.GetElapsedTime(fan.Started));
                    return;
                }

                try
                {
                    await fan.AllDelivered.Task.WaitAsync(Baselines.DeliveryTimeout, context.Cancellation);
                }
                catch (TimeoutException)
                {
                    pending.TryRemove(clientMessageId, out _);
                    for (var missing = fan.WarmUp ? 0 : fan.Remaining; missing > 0; missing--)
                    {
                        fan.Step.RecordFailure("delivery.timeout");
                    }
                }
                catch (OperationCanceledException)
                {
                    pending.TryRemove(clientMessageId, out _);
                }
            }, cancellationToken);
        }
        finally
        {
            await Task.WhenAll(members.Concat(senders).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static void OnMemberPush(ConcurrentDictionary<string, Fan> pending, string target, JsonElement arguments, long at)
    {
        if (target == nameof(IMessagingClient.MessageCreated)
            && arguments[0].GetProperty("data").GetProperty("message").GetProperty("clientMessageId").GetString() is { } id
            && pending.TryGetValue(id, out var fan))
        {
            if (!fan.WarmUp)
            {
                fan.Step.RecordOk(Stopwatch.GetElapsedTime(fan.Started, at));
            }

            if (fan.Delivered())
            {
                pending.TryRemove(id, out _);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>One message's deliveries still awaited.</summary>
    private sealed class Fan(int expected, StepMetrics step, long started, bool warmUp)
    {
        public bool WarmUp { get; } = warmUp;

        private int _remaining = expected;

        public StepMetrics Step { get; } = step;

        public long Started { get; } = started;

        public TaskCompletionSource AllDelivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Remaining => Volatile.Read(ref _remaining);

        /// <summary>Counts one delivery; true when it was the last.</summary>
        public bool Delivered()
        {
            if (Interlocked.Decrement(ref _remaining) != 0)
            {
                return false;
            }

            AllDelivered.TrySetResult();
            return true;
        }
    }
}
