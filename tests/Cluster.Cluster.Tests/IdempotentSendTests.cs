using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Hub;

namespace Cluster.Cluster.Tests;

/// <summary>Fault test 4: one client message id, sent five times across three nodes (once across a node kill), is one message.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotentSendTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Body = "Following up on the refill I asked about.";

    [Fact(Timeout = 90_000)]
    public async Task The_same_client_message_id_sent_five_times_across_three_nodes_and_a_kill_is_stored_once()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = 1, Clinicians = 1 });
        var patient = organisation.Patients[0];
        var conversation = await cluster.StartConversationAsync(patient);
        var checker = new DeliveryChecker();
        checker.Track(conversation);

        // The same patient on three devices, one per node.
        var devices = new PortalClient[3];
        for (var node = 0; node < 3; node++)
        {
            devices[node] = await PortalClient.ConnectAsync(cluster, node, patient, UserRole.Patient, checker, [conversation], name: $"{patient}@device{node}");
        }

        try
        {
            // One after another, on nodes 0, 1, 2, 0, 1: the first stores, the four retries answer the original.
            var sequential = new List<MessageSent>();
            foreach (var node in new[] { 0, 1, 2, 0, 1 })
            {
                sequential.Add((await devices[node].TrySendAsync(conversation, Body, "retry-sequential")).Value());
            }

            AssertOneMessage("retry-sequential", sequential, expectedNew: [1]);
            Assert.False(sequential[0].Duplicate, "The first send of an id is not a duplicate.");

            // All five at once, spread over the three nodes: they race for the same conversation on different nodes.
            var concurrent = await Task.WhenAll(new[] { 0, 1, 2, 0, 1 }.Select(node => devices[node].SendAsync(conversation, Body, "retry-concurrent")));
            AssertOneMessage("retry-concurrent", concurrent, expectedNew: [1]);

            // Across a kill: node 2 gets the send and is killed -9 while the call is in flight; whether it committed or not,
            // the retries on the other nodes (and on node 2 once it is back) answer one message.
            var inFlight = devices[2].TrySendAsync(conversation, Body, "retry-kill");
            await cluster.KillNodeAsync(2);
            var acrossKill = new List<MessageSent>();
            try
            {
                var first = await inFlight;
                acrossKill.Add(first.Value());
            }
            catch (Exception ex) when (ex is HubInvocationException { ConnectionClosed: true } or TimeoutException)
            {
                // The node died before it answered: not acknowledged, so the client retries elsewhere.
            }

            acrossKill.Add(await devices[0].SendAsync(conversation, Body, "retry-kill"));
            acrossKill.Add(await devices[1].SendAsync(conversation, Body, "retry-kill"));
            acrossKill.Add(await devices[0].SendAsync(conversation, Body, "retry-kill"));
            await cluster.StartNodeAsync(2);
            await devices[2].ConnectAsync(2);
            acrossKill.Add(await devices[2].SendAsync(conversation, Body, "retry-kill"));
            // If node 2 committed before it died, every retry is a duplicate; if not, the first retry stored it.
            AssertOneMessage("retry-kill", acrossKill, expectedNew: acrossKill.Count == 5 ? [1] : [0, 1]);

            var rows = await cluster.Database.ScalarAsync<long>(
                "SELECT count(*) FROM grain_rows WHERE collection = 'messages' AND partition_key = @c AND unique_key LIKE @k",
                ("c", conversation), ("k", patient + "/retry-%"));
            Assert.Equal(3, rows);

            await Task.WhenAll(devices.Select(d => d.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);
            var stored = await cluster.Database.MessagesAsync([conversation]);
            Assert.Equal(4, stored.Count); // the first message and the three ids
        }
        finally
        {
            await Task.WhenAll(devices.Where(d => d is not null).Select(d => d.DisposeAsync().AsTask()));
        }
    }

    private static void AssertOneMessage(string clientMessageId, IReadOnlyList<MessageSent> answers, int[] expectedNew)
    {
        var sequences = answers.Select(a => a.Message.Sequence).Distinct().ToList();
        Assert.True(sequences.Count == 1, $"{clientMessageId}: the sends answered different sequences: {string.Join(", ", answers.Select(a => a.Message.Sequence))}");
        Assert.All(answers, a => Assert.Equal(clientMessageId, a.Message.ClientMessageId));
        Assert.True(expectedNew.Contains(answers.Count(a => !a.Duplicate)),
            $"{clientMessageId}: expected {string.Join(" or ", expectedNew)} answer(s) with duplicate: false, got {answers.Count(a => !a.Duplicate)} of {answers.Count}.");
    }
}
