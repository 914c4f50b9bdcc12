using System.Globalization;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests;

/// <summary>Fault test 5: thirty senders on three nodes write to one conversation at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrentSendersTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int MessagesPerSender = 6;

    [Fact(Timeout = 120_000)]
    public async Task Thirty_senders_on_three_nodes_get_one_contiguous_order_that_every_client_sees()
    {
        await cluster.EnsureAllRunningAsync();
        // The patient, 5 proxies and 24 members of the care team: 30 senders. No primary clinician, so the
        // conversation waits in the pool and every member receives (and may answer) it.
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = 1, ProxiesPerPatient = 5, Clinicians = 24 });
        var patient = organisation.Patients[0];
        var conversation = await cluster.StartConversationAsync(patient);
        var senders = new List<(string UserId, UserRole Role)> { (patient, UserRole.Patient) };
        senders.AddRange(organisation.ProxiesOf(patient).Select(p => (p, UserRole.Proxy)));
        senders.AddRange(organisation.Clinicians.Select(c => (c, UserRole.Clinician)));
        Assert.Equal(30, senders.Count);

        var checker = new DeliveryChecker();
        var clients = new List<PortalClient>();
        try
        {
            clients.AddRange(await Task.WhenAll(senders.Select((s, i) =>
                PortalClient.ConnectAsync(cluster, i % cluster.NodeCount, s.UserId, s.Role, checker, [conversation]))));

            var started = DateTime.UtcNow;
            await Task.WhenAll(clients.Select(async client =>
            {
                for (var m = 0; m < MessagesPerSender; m++)
                {
                    var id = "m-" + m.ToString(CultureInfo.InvariantCulture);
                    await client.SendAsync(conversation, $"Note {m} from {client.UserId} about the care plan.", id);
                }
            }));
            output.WriteLine($"{senders.Count * MessagesPerSender} sends acknowledged in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

            await Task.WhenAll(clients.Select(c => c.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);

            // No fault here, so the backplane delivered every event to every connection at least once (the relay
            // republishes what a node failed to publish after Cluster__Runtime__RelayGrace, 10 s): Sync only made up for order.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (clients.Any(c => c.NeverPushed.Count > 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(clients.All(c => c.NeverPushed.Count == 0),
                "Events never pushed to a connected client: " + string.Join("; ", clients.Where(c => c.NeverPushed.Count > 0).Take(5).Select(c => c.Describe())));

            // Every client processed the same order, and it is the stored one: 1..N.
            var total = 1 + (senders.Count * MessagesPerSender);
            var expected = Enumerable.Range(1, total).Select(i => (long)i).ToList();
            foreach (var client in clients)
            {
                var order = checker.ReceivedOrder(client.Name, conversation);
                Assert.True(order.SequenceEqual(expected), $"{client.Name} processed {order.Count} messages in the order {string.Join(",", order.Take(50))}...");
                output.WriteLine(client.Describe());
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
