using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 10: the care team closes a conversation so it takes no further patient replies, can reopen it, and a
/// conversation left without activity for 30 days closes by itself.
/// </summary>
public sealed class ClosingTests(Portal portal) : IClassFixture<Portal>
{
    private static readonly TimeSpan InactivityClose = TimeSpan.FromDays(30);

    [Fact]
    public async Task AClinicianClosesWithAClosingMessageThatIsStoredAsClosing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        const string goodbye = "Glad you are feeling better. I am closing this thread.";

        var closed = (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, goodbye, Portal.NewClientId()))).Unwrap();

        Assert.Equal(ConversationStatus.Closed, closed.Status);
        var stored = await portal.StoredMessagesAsync(id);
        Assert.Equal(2, stored.Count);
        Assert.Equal((Portal.Doctor.UserId, goodbye, MessageFlags.Closing), (stored[1].SenderId, stored[1].Body, stored[1].Flags));
        var change = Assert.Single(await ChangesAsync(patient.UserId, id, ConversationChange.Closed));
        Assert.Equal(Portal.Doctor.UserId, change.ActorId);
        Assert.DoesNotContain(id, (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap());
    }

    [Fact]
    public async Task AStaffMemberClosesWithoutAMessageAndTheConversationLeavesThePoolQueue()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.Appointment);

        var closed = (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Clerk, null, null))).Unwrap();

        Assert.Equal(ConversationStatus.Closed, closed.Status);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.DoesNotContain(id, (await portal.CareTeam(Portal.FrontDesk).GetQueueAsync(Portal.Clerk)).Unwrap().Select(e => e.ConversationId));
        Assert.Single(await ChangesAsync(patient.UserId, id, ConversationChange.Closed));
    }

    [Fact]
    public async Task AClosedConversationRefusesAPatientReplyWithASuggestionAndStoresNothing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, null, null))).Unwrap();

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more thing about the dose.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.ConversationClosed, outcome.Problem?.Code);
        Assert.Contains("new conversation", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Equal(ConversationStatus.Closed, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
    }

    [Fact]
    public async Task AClosedConversationRefusesAProxyReplyAndStoresNothing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, null, null))).Unwrap();

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "She still has a cough.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.ConversationClosed, outcome.Problem?.Code);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task APatientCannotCloseTheirConversation()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);

        var outcome = await portal.Conversation(id).CloseAsync(new CloseRequest(patient, "Thanks, all good now.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.Forbidden, outcome.Problem?.Code);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Empty(await ChangesAsync(patient.UserId, id, ConversationChange.Closed));
    }

    [Fact]
    public async Task AClinicianReopensAndThePatientCanReplyAgain()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, null, null))).Unwrap();

        var reopened = (await portal.Conversation(id).ReopenAsync(Portal.Doctor)).Unwrap();
        var reply = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "The rash came back.", Portal.NewClientId()));

        Assert.Equal(ConversationStatus.Open, reopened.Status);
        Assert.True(reply.IsOk);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
        Assert.Single(await ChangesAsync(patient.UserId, id, ConversationChange.Reopened));
    }

    [Fact]
    public async Task APatientCannotReopenAClosedConversation()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        (await portal.Conversation(id).CloseAsync(new CloseRequest(Portal.Doctor, null, null))).Unwrap();

        var outcome = await portal.Conversation(id).ReopenAsync(patient);

        Assert.Equal(ErrorCodes.Forbidden, outcome.Problem?.Code);
        Assert.Equal(ConversationStatus.Closed, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
    }

    [Fact]
    public async Task AConversationWithoutActivityForThirtyDaysClosesByItself()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);

        await portal.AdvanceAsync(InactivityClose - TimeSpan.FromMinutes(1));
        var before = (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status;
        await portal.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(ConversationStatus.Closed, before);
        Assert.Equal(ConversationStatus.Closed, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
        Assert.Single(await ChangesAsync(patient.UserId, id, ConversationChange.AutoClosed));
        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Are you still there?", Portal.NewClientId()));
        Assert.Equal(ErrorCodes.ConversationClosed, refused.Problem?.Code);
    }

    [Fact]
    public async Task ActivityPushesTheAutomaticCloseBack()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);

        await portal.AdvanceAsync(TimeSpan.FromDays(20));
        await portal.SendAsync(id, Portal.Doctor, "How are you doing with the new dose?");
        await portal.AdvanceAsync(TimeSpan.FromDays(20));
        var afterFortyDays = (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status;
        await portal.AdvanceAsync(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));

        Assert.Equal(ConversationStatus.AwaitingPatient, afterFortyDays);
        Assert.Equal(ConversationStatus.Closed, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
        Assert.Single(await ChangesAsync(patient.UserId, id, ConversationChange.AutoClosed));
    }

    private async Task<List<ConversationChanged>> ChangesAsync(string userId, string conversationId, ConversationChange change) =>
        (await portal.EventsAsync<ConversationChanged>(userId)).Where(c => c.ConversationId == conversationId && c.Change == change).ToList();
}
