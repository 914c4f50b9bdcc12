using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;
using Cluster.Testing;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rules 5 and 6 where they are hard: two nodes over one PostgreSQL, each with its own activation of the same
/// conversation, and (unless a test says otherwise) no invalidations between them, so every race is settled by the store.
/// Sequences stay 1..N without gaps or duplicates, and one client message id sent through both nodes is one message.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SequenceAndIdempotencyOnPostgresTests(PostgresServer postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentSendsThroughTwoNodesStoreContiguousSequences(bool sharedBackplane)
    {
        await using var cluster = await PortalCluster.StartAsync(postgres, sharedBackplane);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);
        var members = new[] { Portal.Doctor, Portal.OtherDoctor, Portal.Nurse };
        var requests = Enumerable.Range(0, 60)
            .Select(i => new SendMessageRequest(members[i % members.Length], $"Reply {i}", Portal.NewClientId()))
            .ToList();

        var sends = requests.Select((r, i) => cluster.Node(i).Grains.GetGrain<IConversationGrain>(id).SendAsync(r));
        var outcomes = await Task.WhenAll(sends).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        Assert.Equal(Enumerable.Range(2, 60).Select(i => (long)i), outcomes.Select(o => o.Value!.Message.Sequence).Order());
        var stored = await PortalSetup.StoredMessagesAsync(cluster.A.Store, id);
        Assert.Equal(Enumerable.Range(1, 61).Select(i => (long)i), stored.Select(m => m.Sequence));
        foreach (var (request, outcome) in requests.Zip(outcomes))
        {
            Assert.Equal(outcome.Value!.Message, Assert.Single(stored, m => m.SenderId == request.Actor.UserId && m.ClientMessageId == request.ClientMessageId));
        }

        // History reads go to the store, so either node pages through the same 61 messages (its activation's view may lag: no invalidations here).
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            var page = (await node.Grains.GetGrain<IConversationGrain>(id).GetMessagesAsync(Portal.Doctor, 0, null, 100)).Unwrap();
            Assert.Equal(stored, page.Messages);
        }
    }

    [Fact]
    public async Task ConcurrentPatientAndCareTeamSendsThroughTwoNodesStoreContiguousSequences()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);
        // The patient has four of their five hourly messages left; the care team writes around them.
        var writers = new[] { patient, Portal.Doctor, Portal.Nurse, Portal.OtherDoctor, Portal.Doctor };
        var requests = Enumerable.Range(0, 20)
            .Select(i => new SendMessageRequest(writers[i % writers.Length], $"Message {i}", Portal.NewClientId()))
            .ToList();

        var outcomes = await Task.WhenAll(requests.Select((r, i) => cluster.Node(i / 2).Grains.GetGrain<IConversationGrain>(id).SendAsync(r))).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        var stored = await PortalSetup.StoredMessagesAsync(cluster.A.Store, id);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), stored.Select(m => m.Sequence));
    }

    [Fact]
    public async Task OneCareTeamSendThroughBothNodesStoresOneRowWithOneSequence()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);

        for (var round = 0; round < 10; round++)
        {
            var request = new SendMessageRequest(round % 2 == 0 ? Portal.Doctor : Portal.Nurse, $"Answer {round}", Portal.NewClientId());
            var outcomes = await Task.WhenAll(
                cluster.A.Grains.GetGrain<IConversationGrain>(id).SendAsync(request),
                cluster.B.Grains.GetGrain<IConversationGrain>(id).SendAsync(request)).WaitAsync(Bound);

            await AssertOneMessageAsync(cluster, id, request, outcomes);
        }

        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), (await PortalSetup.StoredMessagesAsync(cluster.A.Store, id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task OnePatientSendThroughBothNodesStoresOneRowAndUsesOneRateSlot()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);

        for (var round = 0; round < 4; round++)
        {
            var request = new SendMessageRequest(patient, $"Question {round}", Portal.NewClientId());
            var outcomes = await Task.WhenAll(
                cluster.A.Grains.GetGrain<IConversationGrain>(id).SendAsync(request),
                cluster.B.Grains.GetGrain<IConversationGrain>(id).SendAsync(request)).WaitAsync(Bound);

            await AssertOneMessageAsync(cluster, id, request, outcomes);
        }

        // The start and four messages, each counted once: the hourly limit of five is reached, not exceeded.
        var sixth = await cluster.B.Grains.GetGrain<IConversationGrain>(id).SendAsync(new SendMessageRequest(patient, "Sixth.", Portal.NewClientId()));
        Assert.Equal(ErrorCodes.RateLimited, sixth.Problem?.Code);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await PortalSetup.StoredMessagesAsync(cluster.A.Store, id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task OneStartThroughBothNodesCreatesOneConversation()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Appointment, "Visit", "Can I move my visit to Friday?", Portal.NewClientId());

        var outcomes = await Task.WhenAll(
            cluster.A.Grains.GetGrain<IConversationGrain>(id).StartAsync(request),
            cluster.B.Grains.GetGrain<IConversationGrain>(id).StartAsync(request)).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        Assert.Single(outcomes, o => !o.Value!.Duplicate);
        Assert.Equal(outcomes[0].Value!.Message, outcomes[1].Value!.Message);
        Assert.Equal([1L], (await PortalSetup.StoredMessagesAsync(cluster.A.Store, id)).Select(m => m.Sequence));
        Assert.Equal([id], (await cluster.B.Grains.GetGrain<IPatientGrain>(patient.UserId).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task TwoDifferentMessagesUnderOneClientIdThroughBothNodesStoreOneAndRefuseTheOther()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);
        var writers = new[] { patient, Portal.Doctor, patient, Portal.Nurse };

        for (var round = 0; round < writers.Length; round++)
        {
            var request = new SendMessageRequest(writers[round], $"My dose is {round} mg.", Portal.NewClientId());
            var outcomes = await Task.WhenAll(
                cluster.A.Grains.GetGrain<IConversationGrain>(id).SendAsync(request),
                cluster.B.Grains.GetGrain<IConversationGrain>(id).SendAsync(request with { Body = $"Correction: my dose is {round}0 mg." })).WaitAsync(Bound);

            // Whichever commits first is the message; the other is not a retry of it, so it is refused rather than answered with it.
            var stored = Assert.Single(outcomes, o => o.IsOk);
            Assert.False(stored.Value!.Duplicate);
            Assert.Equal(ErrorCodes.IdempotencyConflict, Assert.Single(outcomes, o => !o.IsOk).Problem?.Code);
            var row = Assert.Single(await PortalSetup.StoredMessagesAsync(cluster.A.Store, id), m => m.SenderId == request.Actor.UserId && m.ClientMessageId == request.ClientMessageId);
            Assert.Equal(stored.Value.Message, row);
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await PortalSetup.StoredMessagesAsync(cluster.A.Store, id)).Select(m => m.Sequence));
    }

    /// <summary>Both calls succeeded with the same message, exactly one of them stored it, and the store holds it once.</summary>
    private static async Task AssertOneMessageAsync(PortalCluster cluster, string id, SendMessageRequest request, Outcome<MessageSent>[] outcomes)
    {
        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        Assert.Single(outcomes, o => !o.Value!.Duplicate);
        Assert.Equal(outcomes[0].Value!.Message, outcomes[1].Value!.Message);
        var stored = await PortalSetup.StoredMessagesAsync(cluster.A.Store, id);
        var row = Assert.Single(stored, m => m.SenderId == request.Actor.UserId && m.ClientMessageId == request.ClientMessageId);
        Assert.Equal(outcomes[0].Value!.Message.Sequence, row.Sequence);
    }
}
