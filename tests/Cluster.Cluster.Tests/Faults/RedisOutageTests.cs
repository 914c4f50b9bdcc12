using System.Diagnostics;
using System.Globalization;
using System.Net;
using Cluster.Api.Realtime;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Hub;
using Cluster.Testing.Nodes;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests.Faults;

/// <summary>Fault test 2: Redis stopped for 10 s while senders keep sending on every node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisOutageTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Patients = 6;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConvergeWithin = TimeSpan.FromSeconds(10);

    // Generous: the point is that nothing grows with the outage (the publisher's queue is bounded, the relay works in
    // batches); a .NET process's resident memory moves by tens of MB with the GC alone.
    private const double MemoryGrowthLimitMegabytes = 150;

    [Fact(Timeout = 90_000)]
    public async Task Stopping_Redis_for_10_s_during_sends_loses_no_acknowledged_message_and_every_client_converges_within_10_s_of_its_return()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = Patients, Clinicians = 2 });
        var conversations = await cluster.StartConversationsAsync(organisation);

        var checker = new DeliveryChecker();
        var watched = new List<(PortalClient Client, IReadOnlyCollection<string> Conversations)>();
        using var stopSending = new CancellationTokenSource();
        using var stopSampling = new CancellationTokenSource();
        try
        {
            // Each patient on one node; each clinician on one device per node (the conversations wait in the pool, so
            // both clinicians receive all of them): every message has recipients on the other nodes.
            for (var p = 0; p < Patients; p++)
            {
                var patient = organisation.Patients[p];
                var client = await PortalClient.ConnectAsync(cluster, p % cluster.NodeCount, patient, UserRole.Patient, checker, [conversations[patient]]);
                watched.Add((client, [conversations[patient]]));
            }

            foreach (var clinician in organisation.Clinicians)
            {
                for (var node = 0; node < cluster.NodeCount; node++)
                {
                    var device = await PortalClient.ConnectAsync(cluster, node, clinician, UserRole.Clinician, checker, conversations.Values, name: $"{clinician}@node{node}");
                    watched.Add((device, conversations.Values.ToList()));
                }
            }

            var clients = watched.Select(w => w.Client).ToList();
            var workload = StartWorkload(clients, conversations, stopSending.Token);

            await Eventually.AssertAsync(() => checker.Acknowledged.Count >= 20 || workload.IsCompleted, "the workload is under way", TimeSpan.FromSeconds(20));
            var baseline = cluster.Nodes.ToDictionary(n => n.Index, n => FaultProbes.ResidentMegabytes(n.ProcessId!.Value) ?? 0);
            var peak = new Dictionary<int, double>(baseline);
            var sampler = SampleMemoryAsync(peak, stopSampling.Token);

            // The outage.
            var acknowledgedBefore = checker.Acknowledged.Count;
            await cluster.Redis.StopAsync();
            var down = Stopwatch.StartNew();
            var degraded = await FaultProbes.WaitForReadinessAsync(cluster, cluster.RunningNodes,
                r => r.Status == HttpStatusCode.OK && r.Check("backplane") == "Degraded" && r.Check("storage") == "Healthy",
                "every node reporting the backplane Degraded (still ready)", TimeSpan.FromSeconds(5));
            output.WriteLine($"readiness {down.Elapsed.TotalSeconds:F1} s into the outage: {string.Join("; ", degraded)}");
            // The length of the outage is the fault itself, not a wait for something to happen.
            await Task.Delay(Outage - down.Elapsed);
            // The senders stop as Redis returns: no later message reveals a gap to the clients, so what they miss has to
            // reach them from the nodes (the outbox relay), not from their own gap syncs.
            await stopSending.CancelAsync();
            await workload.WaitAsync(TimeSpan.FromSeconds(30));
            var acknowledgedDuring = checker.Acknowledged.Count - acknowledgedBefore;
            await cluster.Redis.StartAsync();
            var up = Stopwatch.StartNew();
            output.WriteLine($"Redis down for {down.Elapsed.TotalSeconds:F1} s; {acknowledgedDuring} sends acknowledged meanwhile");
            Assert.True(acknowledgedDuring > 0, "No send was acknowledged while Redis was down.");

            // Convergence: every client holds every acknowledged message, from relayed pushes (and gap syncs they cause).
            IReadOnlyList<string> missing;
            while ((missing = FaultProbes.Missing(checker, watched)).Count > 0 && up.Elapsed < ConvergeWithin)
            {
                await Task.Delay(50);
            }

            var converged = up.Elapsed;
            output.WriteLine(missing.Count == 0
                ? $"{checker.Acknowledged.Count} messages acknowledged; every client held all of them {converged.TotalSeconds:F1} s after Redis returned"
                : $"{checker.Acknowledged.Count} messages acknowledged; {missing.Count} deliveries still missing {converged.TotalSeconds:F1} s after Redis returned");
            Assert.True(missing.Count == 0,
                $"{missing.Count} deliveries still missing {ConvergeWithin.TotalSeconds:F0} s after Redis returned: {string.Join("; ", missing.Take(15))}");

            await FaultProbes.WaitForReadinessAsync(cluster, cluster.RunningNodes,
                r => r.Status == HttpStatusCode.OK && r.Check("backplane") == "Healthy", "every node reporting the backplane Healthy again", TimeSpan.FromSeconds(5));
            await stopSampling.CancelAsync();
            await sampler;
            foreach (var node in cluster.Nodes)
            {
                output.WriteLine($"{node.NodeId}: {baseline[node.Index]:F0} MB before the outage, at most {peak[node.Index]:F0} MB until convergence");
                Assert.True(peak[node.Index] - baseline[node.Index] < MemoryGrowthLimitMegabytes,
                    $"{node.NodeId} grew from {baseline[node.Index]:F0} MB to {peak[node.Index]:F0} MB during the outage.");
            }

            // The nodes subscribed again by themselves: a message sent now reaches every client by live push.
            var probes = new List<string>();
            foreach (var (client, _) in watched.Take(Patients))
            {
                var sent = await client.SendAsync(conversations[client.UserId], "One more thing: the pharmacy called back.", "probe-" + client.UserId);
                probes.Add(sent.Message.ConversationId + "#" + sent.Message.Sequence.ToString(CultureInfo.InvariantCulture));
            }

            await Eventually.AssertAsync(() => FaultProbes.Missing(checker, watched).Count == 0, "every client processed the probes", TimeSpan.FromSeconds(10));
            await Eventually.AssertAsync(() => clients.All(c => !c.NeverPushed.Any(e => probes.Contains(Key(e)))),
                "every probe arrived as a live push on every client", TimeSpan.FromSeconds(5));

            foreach (var client in clients)
            {
                output.WriteLine(client.Describe());
            }

            // Redis being down never failed a send nor a hub connection.
            Assert.All(clients, c => Assert.Equal(0, c.SendRetries));
            Assert.All(clients, c => Assert.Equal(0, c.Reconnects));
            Assert.All(clients, c => Assert.True(c.SlowestSend < TimeSpan.FromSeconds(5), c.Describe()));

            await Task.WhenAll(clients.Select(c => c.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\n" + cluster.Diagnostics(), ex);
        }
        finally
        {
            await stopSending.CancelAsync();
            await stopSampling.CancelAsync();
            await Task.WhenAll(watched.Select(w => w.Client.DisposeAsync().AsTask()));
        }
    }

    private static string Key(ClientEvent e) =>
        e.Type == "MessageCreated" ? e.Message().ConversationId + "#" + e.Message().Sequence.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Patients send every 150 ms, each clinician answers every 300 ms from its device on the next node, until stopped.</summary>
    private static Task StartWorkload(IReadOnlyList<PortalClient> clients, IReadOnlyDictionary<string, string> conversations, CancellationToken stop)
    {
        var senders = new List<Task>();
        foreach (var client in clients.Where(c => c.Role == UserRole.Patient))
        {
            senders.Add(SendUntilStoppedAsync(client, _ => conversations[client.UserId], TimeSpan.FromMilliseconds(150), "p", stop));
        }

        var ids = conversations.Values.ToList();
        foreach (var device in clients.Where(c => c.Role == UserRole.Clinician).GroupBy(c => c.UserId).Select((devices, c) => devices.ElementAt((c + 1) % devices.Count())))
        {
            senders.Add(SendUntilStoppedAsync(device, m => ids[m % ids.Count], TimeSpan.FromMilliseconds(300), "c", stop));
        }

        return Task.WhenAll(senders);
    }

    private static async Task SendUntilStoppedAsync(PortalClient client, Func<int, string> conversation, TimeSpan pace, string prefix, CancellationToken stop)
    {
        for (var m = 0; !stop.IsCancellationRequested; m++)
        {
            var id = prefix + "-" + m.ToString(CultureInfo.InvariantCulture);
            await client.SendAsync(conversation(m), $"Note {m}: nothing urgent, just keeping you informed.", id);
            try
            {
                await Task.Delay(pace, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SampleMemoryAsync(Dictionary<int, double> peak, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var node in cluster.Nodes)
            {
                if (node.ProcessId is { } pid && FaultProbes.ResidentMegabytes(pid) is { } megabytes)
                {
                    peak[node.Index] = Math.Max(peak[node.Index], megabytes);
                }
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
