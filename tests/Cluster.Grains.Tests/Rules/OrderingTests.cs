using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 6: each conversation numbers its messages 1, 2, 3... with no gap and no duplicate, whoever writes and however
/// many write at once. The rate limits are raised here so that load, not the limits, is what the tests exercise.
/// </summary>
public sealed class OrderingTests(RaisedLimitsPortal portal) : IClassFixture<RaisedLimitsPortal>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task SequencesStartAtOneAndGoUpByOneWhoeverWrites()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);

        var (id, started) = await portal.StartAsync(patient);
        var reply = await portal.SendAsync(id, Portal.Doctor, "Please take it in the morning.");
        var byProxy = await portal.SendAsync(id, proxy, "She will, thank you.");
        var byPatient = await portal.SendAsync(id, patient, "Thanks!");

        Assert.Equal([1L, 2L, 3L, 4L], new[] { started.Message, reply.Message, byProxy.Message, byPatient.Message }.Select(m => m.Sequence));
        Assert.Equal([1L, 2L, 3L, 4L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
        Assert.Equal(4, (await portal.Conversation(id).GetAsync(patient)).Unwrap().LastSequence);
    }

    [Fact]
    public async Task EachConversationHasItsOwnSequenceStartingAtOne()
    {
        var patient = await portal.NewPatientAsync();
        var (first, _) = await portal.StartAsync(patient, topic: Topic.Appointment);
        await portal.SendAsync(first, patient);
        await portal.SendAsync(first, Portal.Clerk, "Booked.");

        var (second, started) = await portal.StartAsync(patient, topic: Topic.Billing);
        var next = await portal.SendAsync(second, patient);

        Assert.Equal(1, started.Message.Sequence);
        Assert.Equal(2, next.Message.Sequence);
        Assert.Equal([1L, 2L], (await portal.StoredMessagesAsync(second)).Select(m => m.Sequence));
        Assert.Equal([1L, 2L, 3L], (await portal.StoredMessagesAsync(first)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task ConcurrentSendsFromTheCareTeamGetDistinctContiguousSequences()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var members = new[] { Portal.Doctor, Portal.OtherDoctor, Portal.Nurse };
        var requests = Enumerable.Range(0, 90)
            .Select(i => new SendMessageRequest(members[i % members.Length], $"Reply {i}", Portal.NewClientId()))
            .ToList();

        var outcomes = await Task.WhenAll(requests.Select(r => portal.Conversation(id).SendAsync(r))).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        Assert.Equal(Enumerable.Range(2, 90).Select(i => (long)i), outcomes.Select(o => o.Value!.Message.Sequence).Order());
        await AssertStoredAsContiguousAsync(id, 91, requests, outcomes.Select(o => o.Value!));
    }

    [Fact]
    public async Task ConcurrentSendsFromPatientProxyAndCareTeamGetDistinctContiguousSequences()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        var writers = new[] { patient, Portal.Doctor, proxy, Portal.Nurse, patient, Portal.OtherDoctor };
        var requests = Enumerable.Range(0, 120)
            .Select(i => new SendMessageRequest(writers[i % writers.Length], $"Message {i}", Portal.NewClientId()))
            .ToList();

        var outcomes = await Task.WhenAll(requests.Select(r => portal.Conversation(id).SendAsync(r))).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        await AssertStoredAsContiguousAsync(id, 121, requests, outcomes.Select(o => o.Value!));
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneSendStoreOneMessageAmongOthers()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var retried = new SendMessageRequest(Portal.Doctor, "Your results are normal.", Portal.NewClientId());
        var others = Enumerable.Range(0, 20).Select(i => new SendMessageRequest(Portal.Nurse, $"Note {i}", Portal.NewClientId())).ToList();

        var sends = Enumerable.Range(0, 20)
            .SelectMany(i => new[] { portal.Conversation(id).SendAsync(retried), portal.Conversation(id).SendAsync(others[i]) })
            .ToList();
        var outcomes = await Task.WhenAll(sends).WaitAsync(Bound);

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Problem?.Message));
        var copies = outcomes.Select(o => o.Value!).Where(s => s.Message.ClientMessageId == retried.ClientMessageId).ToList();
        Assert.Single(copies, s => !s.Duplicate);
        Assert.Single(copies.Select(s => s.Message.Sequence).Distinct());
        var stored = await portal.StoredMessagesAsync(id);
        // The first message, the retried one once, and the twenty others.
        Assert.Equal(Enumerable.Range(1, 22).Select(i => (long)i), stored.Select(m => m.Sequence));
        Assert.Single(stored, m => m.ClientMessageId == retried.ClientMessageId);
    }

    [Fact]
    public async Task PagingThroughTheHistoryReturnsEveryMessageOnceInOrder()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        for (var i = 0; i < 24; i++)
        {
            await portal.SendAsync(id, i % 2 == 0 ? Portal.Doctor : patient, $"Turn {i}");
        }

        var seen = new List<long>();
        var after = 0L;
        for (var page = 0; page < 10; page++)
        {
            var messages = (await portal.Conversation(id).GetMessagesAsync(patient, after, null, 7)).Unwrap();
            seen.AddRange(messages.Messages.Select(m => m.Sequence));
            if (!messages.HasMore)
            {
                break;
            }

            after = messages.Messages[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), seen);
    }

    /// <summary>The store holds 1..<paramref name="count"/>, once each, and every send's stored row is the message it was told about.</summary>
    private async Task AssertStoredAsContiguousAsync(string id, int count, IReadOnlyList<SendMessageRequest> requests, IEnumerable<MessageSent> results)
    {
        var stored = await portal.StoredMessagesAsync(id);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Select(m => m.Sequence));
        var byKey = stored.ToDictionary(m => (m.SenderId, m.ClientMessageId));
        foreach (var (request, result) in requests.Zip(results))
        {
            Assert.False(result.Duplicate);
            Assert.Equal(result.Message, byKey[(request.Actor.UserId, request.ClientMessageId)]);
        }

        Assert.Equal(count, (await portal.Conversation(id).GetAsync(requests[0].Actor)).Unwrap().LastSequence);
    }
}
