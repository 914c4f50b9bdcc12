using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Cluster.Api.Realtime;
using Cluster.LoadTests.Client;
using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Scenarios;

/// <summary>
/// The hot path: patients in conversations assigned to clinicians send at the injected rate (or back to back with
/// --concurrency). Steps: ack (send to the hub's answer: stored and committed), delivery (send to the clinician's
/// MessageCreated), and for every Nth message read-confirmation (the clinician's MarkRead to the patient's
/// ReadConfirmation). Patients and clinicians sit on different nodes when there are several.
/// </summary>
public sealed class SendScenario : IScenario
{
    public const string Phase = "send";

    public async Task RunAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        var patients = host.Options.Patients ?? 50;
        var setup = new PortalSetup(host.Target);
        await host.Output.WriteLineAsync($"Registering {patients} patients and {host.Options.Clinicians} clinicians...");
        var organisation = await setup.RegisterAsync(host.Tag, host.Options.Clinicians, patients, assignToClinicians: true, cancellationToken);
        var conversations = await setup.StartConversationsAsync(organisation, cancellationToken);

        PhaseResult? insert = null, echo = null;
        if (host.Options.Baseline)
        {
            insert = await Baselines.RawInsertAsync(host, cancellationToken);
            echo = await Baselines.EchoAsync(host, host.Shape(), organisation.Patients, organisation.Clinicians, cancellationToken);
        }

        var send = await RunSendAsync(host, organisation, conversations, cancellationToken);
        Report(host, send, insert, echo);
    }

    private static async Task<PhaseResult> RunSendAsync(ScenarioHost host, Organisation organisation, IReadOnlyDictionary<string, string> conversations, CancellationToken cancellationToken)
    {
        var deliveries = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        var reads = organisation.Patients.ToDictionary(p => conversations[p], _ => new ReadState(), StringComparer.Ordinal);
        var clinicians = new List<HubConnection>();
        var patients = new List<HubConnection>();
        try
        {
            for (var i = 0; i < organisation.Clinicians.Count; i++)
            {
                clinicians.Add(await HubConnection.ConnectAsync(host.Target.Node(i + 1), HubNames.Path, host.Target.Tokens.Mint(organisation.Clinicians[i], "clinician"),
                    new HubConnectionOptions { OnPush = (target, arguments, at) => OnClinicianPush(deliveries, target, arguments, at) }, cancellationToken));
            }

            for (var i = 0; i < organisation.Patients.Count; i++)
            {
                patients.Add(await HubConnection.ConnectAsync(host.Target.Node(i), HubNames.Path, host.Target.Tokens.Mint(organisation.Patients[i], "patient"),
                    new HubConnectionOptions { OnPush = (target, arguments, at) => OnPatientPush(reads, target, arguments, at) }, cancellationToken));
            }

            var body = "Following up on my prescription: the pharmacy says the renewal has not arrived yet. " + new string('.', 40);
            var run = host.Tag;
            return await host.RunPhaseAsync(Phase, host.Shape(), async context =>
            {
                var index = (int)(context.Number % organisation.Patients.Count);
                var conversation = conversations[organisation.Patients[index]];
                var clientMessageId = $"lt-{run}-{(context.IsWarmUp ? "w" : "m")}{context.Number}";
                var delivered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                deliveries[clientMessageId] = delivered;
                var started = Stopwatch.GetTimestamp();
                long sequence;
                try
                {
                    var (result, bytes) = await patients[index].CallAsync(nameof(MessagingHub.SendMessage), [new SendMessageArgs(conversation, body, clientMessageId)], context.Cancellation);
                    if (!HubResults.IsOk(result, out var code))
                    {
                        deliveries.TryRemove(clientMessageId, out _);
                        context.Metrics.Step("ack").RecordFailure(code, Stopwatch.GetElapsedTime(started), bytes);
                        return;
                    }

                    sequence = result.GetProperty("value").GetProperty("message").GetProperty("sequence").GetInt64();
                    context.Metrics.Step("ack").RecordOk(Stopwatch.GetElapsedTime(started), bytes);
                }
                catch (HubCallException)
                {
                    deliveries.TryRemove(clientMessageId, out _);
                    context.Metrics.Step("ack").RecordFailure("hub.connection-closed", Stopwatch.GetElapsedTime(started));
                    return;
                }

                await Baselines.RecordDeliveryAsync(context.Metrics.Step("delivery"), delivered.Task, started, () => deliveries.TryRemove(clientMessageId, out _), context.Cancellation);
                if (host.Options.ReadEvery > 0 && context.Number % host.Options.ReadEvery == 0)
                {
                    await MarkReadAsync(context, clinicians[index % clinicians.Count], conversation, sequence, reads[conversation]);
                }
            }, cancellationToken);
        }
        finally
        {
            await Task.WhenAll(clinicians.Concat(patients).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The clinician reads up to <paramref name="sequence"/>; the patient's ReadConfirmation is timed. One read in flight per conversation, always forward.</summary>
    private static async Task MarkReadAsync(IterationContext context, HubConnection clinician, string conversation, long sequence, ReadState state)
    {
        TaskCompletionSource<long> confirmed;
        lock (state)
        {
            if (sequence <= state.MaxMarked || state.Pending is not null)
            {
                return;
            }

            state.MaxMarked = sequence;
            state.PendingSequence = sequence;
            state.Pending = confirmed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var step = context.Metrics.Step("read-confirmation");
        var started = Stopwatch.GetTimestamp();
        void Forget()
        {
            lock (state)
            {
                state.Pending = null;
            }
        }

        try
        {
            var result = await clinician.InvokeAsync(nameof(MessagingHub.MarkRead), [new MarkReadArgs(conversation, sequence)], context.Cancellation);
            if (!HubResults.IsOk(result, out var code))
            {
                Forget();
                step.RecordFailure(code, Stopwatch.GetElapsedTime(started));
                return;
            }
        }
        catch (HubCallException)
        {
            Forget();
            step.RecordFailure("hub.connection-closed", Stopwatch.GetElapsedTime(started));
            return;
        }

        await Baselines.RecordDeliveryAsync(step, confirmed.Task, started, Forget, context.Cancellation);
    }

    private static void OnClinicianPush(ConcurrentDictionary<string, TaskCompletionSource<long>> deliveries, string target, JsonElement arguments, long at)
    {
        if (target == nameof(IMessagingClient.MessageCreated)
            && arguments[0].GetProperty("data").GetProperty("message").GetProperty("clientMessageId").GetString() is { } id
            && deliveries.TryRemove(id, out var delivered))
        {
            delivered.TrySetResult(at);
        }
    }

    private static void OnPatientPush(Dictionary<string, ReadState> reads, string target, JsonElement arguments, long at)
    {
        if (target != nameof(IMessagingClient.ReadConfirmation))
        {
            return;
        }

        var data = arguments[0].GetProperty("data");
        if (!reads.TryGetValue(data.GetProperty("conversationId").GetString()!, out var state))
        {
            return;
        }

        var upTo = data.GetProperty("upToSequence").GetInt64();
        lock (state)
        {
            if (state.Pending is { } pending && upTo >= state.PendingSequence)
            {
                state.Pending = null;
                pending.TrySetResult(at);
            }
        }
    }

    private static void Report(ScenarioHost host, PhaseResult send, PhaseResult? insert, PhaseResult? echo)
    {
        var ack = ScenarioHost.Step(send, "ack");
        var delivery = ScenarioHost.FindStep(send, "delivery");
        host.Findings.Figures.Add(new Figure("durable messages per second (acknowledged)", ack.OkPerSecond, "msg/s", host.DescribeShape()));
        host.Findings.Figures.Add(new Figure("p99 ack latency", ack.Latency.P99Ms, "ms"));
        if (delivery is not null)
        {
            host.Findings.Figures.Add(new Figure("p99 send-to-receive latency", delivery.Latency.P99Ms, "ms", "target: at most 25 ms at half the maximum rate"));
        }

        if (insert is not null)
        {
            var inserts = ScenarioHost.Step(insert, "insert");
            host.Findings.Figures.Add(new Figure("raw durable inserts per second", inserts.OkPerSecond, "rows/s", $"{host.Options.InsertWriters} writers"));
            if (host.Options.Concurrency is not null)
            {
                host.Findings.Ratios.Add(new Ratio("durable messages/s vs raw inserts/s (same concurrency)", ack.OkPerSecond, inserts.OkPerSecond, "per s", 0.3, Higher: true));
            }
            else
            {
                host.Findings.Notes.Add("The message rate was injected (open model), so it is not a maximum; run with --concurrency for the throughput ratio.");
            }
        }

        if (echo is not null && delivery is not null && ScenarioHost.FindStep(echo, "delivery") is { } echoed)
        {
            host.Findings.Ratios.Add(new Ratio("p99 send-to-receive vs bare echo hub p99 (same load)", delivery.Latency.P99Ms, echoed.Latency.P99Ms, "ms", 6, Higher: false));
        }
    }

    private sealed class ReadState
    {
        public long MaxMarked { get; set; }

        public long PendingSequence { get; set; }

        public TaskCompletionSource<long>? Pending { get; set; }
    }
}
