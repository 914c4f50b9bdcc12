using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>Rule 5: a retried send returns the original message and never stores or counts twice.</summary>
public sealed class IdempotentSendTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task ARetriedSendReturnsTheOriginalSequenceAndStoresOneRow()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var request = new SendMessageRequest(patient, "Is the pharmacy open on Sunday?", Portal.NewClientId());

        var first = (await portal.Conversation(id).SendAsync(request)).Unwrap();
        var retry = (await portal.Conversation(id).SendAsync(request)).Unwrap();

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
        Assert.Equal([1L, 2L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task RetriesDoNotUseRateSlots()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        for (var i = 0; i < 4; i++)
        {
            var request = new SendMessageRequest(patient, $"Question {i}", Portal.NewClientId());
            (await portal.Conversation(id).SendAsync(request)).Unwrap();
            (await portal.Conversation(id).SendAsync(request)).Unwrap();
        }

        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task ARetriedStartReturnsTheSameConversationAndFirstMessage()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId());

        var first = (await portal.Conversation(id).StartAsync(request)).Unwrap();
        var retry = (await portal.Conversation(id).StartAsync(request)).Unwrap();

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message, retry.Message);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Single((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task TheSameClientIdFromTwoSendersMakesTwoMessages()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.Appointment);
        var shared = Portal.NewClientId();

        await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Tuesday works.", shared));
        await portal.Conversation(id).SendAsync(new SendMessageRequest(Portal.Clerk, "Booked for Tuesday.", shared));

        Assert.Equal(3, (await portal.StoredMessagesAsync(id)).Count);
    }
}
