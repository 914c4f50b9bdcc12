using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 7: a patient message that reads like an emergency is still stored, and at once the patient gets emergency
/// guidance as an automatic reply, the conversation is flagged urgent and jumps its pool's queue, and the care team
/// is alerted. A message that does not read like one sets off none of this.
/// </summary>
public sealed class UrgencyTests(Portal portal) : IClassFixture<Portal>
{
    private const string ChestPain = "I have chest pain radiating to my arm";

    private static readonly Actor[] ClinicalPool = [Portal.Doctor, Portal.OtherDoctor, Portal.Nurse];

    [Fact]
    public async Task AChestPainMessageIsStoredAndAnsweredAtOnceWithEmergencyGuidance()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, patient, ChestPain);

        Assert.Equal(2, sent.Message.Sequence);
        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Urgent));
        var guidance = Assert.Single(sent.AutomaticReplies);
        Assert.Equal(3, guidance.Sequence);
        Assert.True(guidance.Flags.HasFlag(MessageFlags.Automatic));
        Assert.Contains("911", guidance.Body, StringComparison.Ordinal);
        var stored = await portal.StoredMessagesAsync(id);
        Assert.Equal([1L, 2L, 3L], stored.Select(m => m.Sequence));
        Assert.Equal(ChestPain, stored[1].Body);
        Assert.Equal(guidance, stored[2]);
        Assert.True((await portal.Conversation(id).GetAsync(patient)).Unwrap().Urgent);
    }

    [Fact]
    public async Task ThePatientsFeedCarriesTheirMessageAndThenTheGuidance()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        await portal.SendAsync(id, patient, ChestPain);

        var created = (await portal.EventsAsync<MessageCreated>(patient.UserId)).Where(e => e.ConversationId == id).Select(e => e.Message).ToList();
        Assert.Equal([1L, 2L, 3L], created.Select(m => m.Sequence));
        Assert.True(created[2].Flags.HasFlag(MessageFlags.Automatic));
        Assert.Equal(ChestPain, created[1].Body);
    }

    [Theory]
    [InlineData("I HAVE CHEST PAIN RADIATING TO MY ARM")]
    [InlineData("i have chest pain radiating to my arm")]
    [InlineData("I have chést páin radiating to my arm")]
    [InlineData("I have che\u0301st pai\u0308n radiating to my arm")]
    [InlineData("Since this morning: Chest-Pain... radiating to my arm!!")]
    [InlineData("Pain radiating to my arm, it started an hour ago")]
    public async Task CaseAndAccentVariantsAreRecognisedToo(string body)
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, patient, body);

        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Urgent));
        Assert.Single(sent.AutomaticReplies);
        Assert.Equal(3, (await portal.StoredMessagesAsync(id)).Count);
        Assert.True((await portal.Conversation(id).GetAsync(patient)).Unwrap().Urgent);
    }

    [Fact]
    public async Task AnUrgentFirstMessageStartsTheConversationWithTheGuidanceAsSequenceTwo()
    {
        var patient = await portal.NewPatientAsync();

        var (id, started) = await portal.StartAsync(patient, body: ChestPain);

        Assert.True(started.Conversation.Urgent);
        Assert.Equal(1, started.Message.Sequence);
        var guidance = Assert.Single(started.AutomaticReplies);
        Assert.Equal(2, guidance.Sequence);
        Assert.True(guidance.Flags.HasFlag(MessageFlags.Automatic));
        Assert.Equal([1L, 2L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task AnUrgentConversationMovesAheadOfOlderNormalEntriesInItsPoolQueue()
    {
        var older = await portal.NewPatientAsync();
        var (olderId, _) = await portal.StartAsync(older);
        portal.Clock.Advance(TimeSpan.FromMinutes(5));
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var before = await QueueAsync();
        Assert.True(Index(before, olderId) < Index(before, id));

        await portal.SendAsync(id, patient, ChestPain);

        var queue = await QueueAsync();
        Assert.Equal(QueuePriority.Urgent, queue[Index(queue, id)].Priority);
        Assert.True(Index(queue, id) < Index(queue, olderId));
        Assert.All(queue.Take(Index(queue, id)), e => Assert.Equal(QueuePriority.Urgent, e.Priority));
        Assert.All(queue.Where(e => e.Priority != QueuePriority.Urgent), e => Assert.True(Index(queue, e.ConversationId) > Index(queue, id)));
    }

    [Fact]
    public async Task AnUrgentConversationGoesAheadOfAnEscalatedOne()
    {
        var overdue = await portal.NewPatientAsync();
        var (overdueId, started) = await portal.StartAsync(overdue);
        await portal.AdvanceAsync(started.ExpectedReplyBy!.Value - portal.Clock.GetUtcNow());
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        Assert.Equal(QueuePriority.Escalated, (await QueueAsync()).Single(e => e.ConversationId == overdueId).Priority);

        await portal.SendAsync(id, patient, ChestPain);

        var queue = await QueueAsync();
        Assert.True(Index(queue, id) < Index(queue, overdueId));
    }

    [Fact]
    public async Task EveryMemberOfThePoolReceivesAnUrgentMessageEvent()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        await portal.SendAsync(id, patient, ChestPain);

        foreach (var member in ClinicalPool)
        {
            var alert = Assert.Single(await portal.EventsAsync<UrgentMessage>(member.UserId), e => e.ConversationId == id);
            Assert.Equal(patient.UserId, alert.PatientId);
            Assert.Equal(2, alert.Sequence);
            Assert.Contains("cardiac", alert.Categories);
            Assert.Equal(portal.Clock.GetUtcNow(), alert.At);
        }

        Assert.DoesNotContain(await portal.EventsAsync<UrgentMessage>(patient.UserId), e => e.ConversationId == id);
        Assert.DoesNotContain(await portal.EventsAsync<UrgentMessage>(Portal.Clerk.UserId), e => e.ConversationId == id);
    }

    [Fact]
    public async Task AnUrgentMessageToTheOwnClinicianAlertsThemAndTheirPool()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);
        var (id, started) = await portal.StartAsync(patient);
        Assert.Equal(Portal.Doctor.UserId, started.Conversation.AssignedClinicianId);

        var sent = await portal.SendAsync(id, patient, ChestPain);

        Assert.Single(sent.AutomaticReplies);
        foreach (var member in ClinicalPool)
        {
            Assert.Single(await portal.EventsAsync<UrgentMessage>(member.UserId), e => e.ConversationId == id);
        }
    }

    [Fact]
    public async Task AProxysUrgentMessageIsMarkedAsTheProxysAndStillAnsweredWithGuidance()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, proxy, "My mother says she has chest pain radiating to her arm and trouble breathing.");

        Assert.Equal(MessageFlags.Urgent | MessageFlags.Proxy, sent.Message.Flags);
        Assert.Single(sent.AutomaticReplies);
        Assert.Contains(await portal.EventsAsync<MessageCreated>(proxy.UserId), e => e.ConversationId == id && e.Message.Flags.HasFlag(MessageFlags.Automatic));
        Assert.Contains(await portal.EventsAsync<MessageCreated>(patient.UserId), e => e.ConversationId == id && e.Message.Flags.HasFlag(MessageFlags.Automatic));
        var alert = Assert.Single(await portal.EventsAsync<UrgentMessage>(Portal.Doctor.UserId), e => e.ConversationId == id);
        Assert.Equal(["cardiac", "breathing"], alert.Categories);
    }

    [Fact]
    public async Task ANonMatchingMessageSetsOffNoneOfIt()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, patient, "My chest X-ray results came back; is my arm still supposed to be sore from the shot?");

        Assert.Equal(MessageFlags.None, sent.Message.Flags);
        Assert.Empty(sent.AutomaticReplies);
        Assert.Equal([1L, 2L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
        Assert.DoesNotContain(await portal.StoredMessagesAsync(id), m => m.Flags.HasFlag(MessageFlags.Automatic));
        Assert.False((await portal.Conversation(id).GetAsync(patient)).Unwrap().Urgent);
        Assert.Equal(QueuePriority.Normal, (await QueueAsync()).Single(e => e.ConversationId == id).Priority);
        foreach (var member in ClinicalPool)
        {
            Assert.DoesNotContain(await portal.EventsAsync<UrgentMessage>(member.UserId), e => e.ConversationId == id);
        }

        Assert.DoesNotContain(await portal.EventsAsync<MessageCreated>(patient.UserId), e => e.ConversationId == id && e.Message.Flags.HasFlag(MessageFlags.Automatic));
    }

    [Fact]
    public async Task ACareTeamMessageMentioningRedFlagsIsNotTreatedAsUrgent()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, Portal.Doctor, "If you get chest pain or trouble breathing, call 911.");

        Assert.Empty(sent.AutomaticReplies);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
        Assert.False((await portal.Conversation(id).GetAsync(patient)).Unwrap().Urgent);
        Assert.DoesNotContain(await portal.EventsAsync<UrgentMessage>(Portal.OtherDoctor.UserId), e => e.ConversationId == id);
    }

    private async Task<IReadOnlyList<QueueEntry>> QueueAsync() => (await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Admin)).Unwrap();

    private static int Index(IReadOnlyList<QueueEntry> queue, string conversationId)
    {
        var index = queue.ToList().FindIndex(e => e.ConversationId == conversationId);
        Assert.True(index >= 0, $"{conversationId} is not in the queue.");
        return index;
    }
}
