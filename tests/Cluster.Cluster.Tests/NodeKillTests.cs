using System.Globalization;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Nodes;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests;

/// <summary>Fault test 1: kill -9 one of three nodes while senders keep sending.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeKillTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Patients = 6;
    private const int PatientMessages = 30;
    private const int ClinicianMessages = 15;
    private const int KilledNode = 0;

    [Fact(Timeout = 120_000)]
    public async Task Killing_a_node_during_sustained_sends_loses_and_duplicates_nothing()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = Patients, Clinicians = 2 });
        var conversations = await cluster.StartConversationsAsync(organisation);

        var checker = new DeliveryChecker();
        var clients = new List<PortalClient>();
        try
        {
            // Each patient on one node; each clinician on three devices, one per node (the conversations wait in the
            // pool, so both clinicians receive all of them).
            var patients = await Task.WhenAll(organisation.Patients.Select((patient, p) =>
                PortalClient.ConnectAsync(cluster, p % cluster.NodeCount, patient, UserRole.Patient, checker, [conversations[patient]])));
            clients.AddRange(patients);
            var clinicianDevices = new Dictionary<string, PortalClient[]>(StringComparer.Ordinal);
            foreach (var clinician in organisation.Clinicians)
            {
                clinicianDevices[clinician] = await Task.WhenAll(Enumerable.Range(0, cluster.NodeCount).Select(node =>
                    PortalClient.ConnectAsync(cluster, node, clinician, UserRole.Clinician, checker, conversations.Values, name: $"{clinician}@node{node}")));
                clients.AddRange(clinicianDevices[clinician]);
            }

            var total = (Patients * PatientMessages) + (organisation.Clinicians.Count * ClinicianMessages);
            var workload = new List<Task>();
            workload.AddRange(patients.Select(async client =>
            {
                for (var m = 0; m < PatientMessages; m++)
                {
                    await client.SendAsync(conversations[client.UserId], $"Update {m}: my readings today look steady.", "p-" + m.ToString(CultureInfo.InvariantCulture));
                }
            }));
            workload.AddRange(organisation.Clinicians.Select(async (clinician, c) =>
            {
                // Clinician c answers from its device on node c + 1 (one of them is on the node that survives, one is not killed either).
                var device = clinicianDevices[clinician][(c + 1) % cluster.NodeCount];
                var ids = conversations.Values.ToList();
                for (var m = 0; m < ClinicianMessages; m++)
                {
                    await device.SendAsync(ids[m % ids.Count], $"Reply {m}: thank you, we have noted it.", "c-" + m.ToString(CultureInfo.InvariantCulture));
                }
            }));

            // Kill -9 a node once a third of the workload is acknowledged, while the rest is still being sent.
            await Eventually.AssertAsync(() => checker.Acknowledged.Count >= total / 3 || workload.All(t => t.IsCompleted),
                "a third of the messages is acknowledged", TimeSpan.FromSeconds(60));
            var acknowledgedAtKill = checker.Acknowledged.Count;
            await cluster.KillNodeAsync(KilledNode);
            output.WriteLine($"node-{KilledNode} killed after {acknowledgedAtKill} of {total} acknowledgments");
            Assert.True(acknowledgedAtKill < total, "The kill came after the workload ended; it proves nothing.");

            await Task.WhenAll(workload).WaitAsync(TimeSpan.FromSeconds(90));
            await Task.WhenAll(clients.Select(c => c.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);

            foreach (var client in clients)
            {
                output.WriteLine(client.Describe());
                Assert.NotEqual(KilledNode, client.Node);
            }

            // What the killed node committed but never published, the relay of a surviving node publishes after
            // Cluster__Runtime__RelayGrace (10 s): clients that stayed connected get every event by push in the end.
            var stayed = clients.Where(c => c.Reconnects == 0).ToList();
            var relayDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(25);
            var waited = DateTime.UtcNow;
            while (stayed.Any(c => c.NeverPushed.Count > 0) && DateTime.UtcNow < relayDeadline)
            {
                await Task.Delay(100);
            }

            output.WriteLine($"waited {(DateTime.UtcNow - waited).TotalSeconds:F1} s for relayed pushes");
            Assert.True(stayed.All(c => c.NeverPushed.Count == 0),
                "Events never pushed to a client that stayed connected: " + string.Join("; ", stayed.Where(c => c.NeverPushed.Count > 0).Select(c => c.Describe())));

            var duplicates = checker.Acknowledged.Count(a => a.Duplicate);
            output.WriteLine($"{duplicates} retried send(s) answered duplicate: true (stored before the node died, the answer lost with it)");
            Assert.Equal(total, checker.Acknowledged.Select(a => (a.ConversationId, a.SenderId, a.ClientMessageId)).Distinct().Count());
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\n" + cluster.Diagnostics(), ex);
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
