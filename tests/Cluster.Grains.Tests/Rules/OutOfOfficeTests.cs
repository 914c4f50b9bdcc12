using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 13: a patient writing to a clinician who is out of office gets that clinician's auto-reply once per
/// conversation, and the conversation goes to the pool's queue so someone else answers. Every test sets the
/// doctor's out-of-office state it needs, because the doctor is shared by the tests of this class.
/// </summary>
public sealed class OutOfOfficeTests(Portal portal) : IClassFixture<Portal>
{
    private const string AutoReply = "I am away until Monday 9 March. The clinical team will answer your message.";

    [Fact]
    public async Task APatientMessageToAnAwayClinicianGetsTheirAutoReplyAndGoesToThePoolQueue()
    {
        await SetDoctorAwayAsync(null);
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, started) = await portal.StartAsync(patient);
        Assert.Equal(Portal.Doctor.UserId, started.Conversation.AssignedClinicianId);
        await SetDoctorAwayAsync(AwayNow());

        var sent = await portal.SendAsync(id, patient, "The swelling got worse today.");

        var reply = Assert.Single(sent.AutomaticReplies);
        Assert.Equal((Portal.Doctor.UserId, AutoReply, MessageFlags.Automatic), (reply.SenderId, reply.Body, reply.Flags));
        Assert.Equal(reply, (await portal.StoredMessagesAsync(id))[^1]);
        Assert.Null((await portal.Conversation(id).GetAsync(patient)).Unwrap().AssignedClinicianId);
        Assert.Contains(id, await ClinicalQueueAsync());
        Assert.DoesNotContain(id, (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap());
        Assert.Contains(await portal.EventsAsync<MessageCreated>(patient.UserId), e => e.ConversationId == id && e.Message == reply);
    }

    [Fact]
    public async Task ASecondPatientMessageGetsNoSecondAutoReply()
    {
        await SetDoctorAwayAsync(null);
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await SetDoctorAwayAsync(AwayNow());

        var first = await portal.SendAsync(id, patient, "The swelling got worse today.");
        var second = await portal.SendAsync(id, patient, "It is also red now.");

        Assert.Single(first.AutomaticReplies);
        Assert.Empty(second.AutomaticReplies);
        Assert.Single(await portal.StoredMessagesAsync(id), m => m.Flags.HasFlag(MessageFlags.Automatic));
    }

    [Fact]
    public async Task AConversationTransferredBackToTheAwayClinicianGetsNoSecondAutoReplyButReturnsToTheQueue()
    {
        await SetDoctorAwayAsync(null);
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await SetDoctorAwayAsync(AwayNow());
        await portal.SendAsync(id, patient, "The swelling got worse today.");
        (await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.Nurse, null, Portal.Doctor.UserId))).Unwrap();

        var again = await portal.SendAsync(id, patient, "Is anyone reading this?");

        Assert.Empty(again.AutomaticReplies);
        Assert.Single(await portal.StoredMessagesAsync(id), m => m.Flags.HasFlag(MessageFlags.Automatic));
        Assert.Null((await portal.Conversation(id).GetAsync(patient)).Unwrap().AssignedClinicianId);
        Assert.Contains(id, await ClinicalQueueAsync());
    }

    [Fact]
    public async Task StartingAConversationWhileThePrimaryClinicianIsAwayGetsTheAutoReplyAtOnce()
    {
        await SetDoctorAwayAsync(AwayNow());
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);

        var (first, firstStarted) = await portal.StartAsync(patient);
        var (second, secondStarted) = await portal.StartAsync(patient, body: "A separate question about my knee.");

        Assert.Equal(AutoReply, Assert.Single(firstStarted.AutomaticReplies).Body);
        Assert.Equal(AutoReply, Assert.Single(secondStarted.AutomaticReplies).Body);
        Assert.Null(firstStarted.Conversation.AssignedClinicianId);
        var queue = await ClinicalQueueAsync();
        Assert.Contains(first, queue);
        Assert.Contains(second, queue);
    }

    [Fact]
    public async Task AClinicianWhoseAbsenceHasNotBegunKeepsTheConversationAndSendsNoAutoReply()
    {
        var now = portal.Clock.GetUtcNow();
        await SetDoctorAwayAsync(new OutOfOffice(now.AddDays(1), now.AddDays(3), AutoReply));
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);

        var (id, started) = await portal.StartAsync(patient);

        Assert.Empty(started.AutomaticReplies);
        Assert.Equal(Portal.Doctor.UserId, started.Conversation.AssignedClinicianId);
        Assert.Contains(id, (await portal.Clinician(Portal.Doctor).GetInboxAsync(Portal.Doctor)).Unwrap());
        Assert.DoesNotContain(id, await ClinicalQueueAsync());
    }

    private OutOfOffice AwayNow()
    {
        var now = portal.Clock.GetUtcNow();
        return new OutOfOffice(now.AddHours(-1), now.AddDays(7), AutoReply);
    }

    private async Task SetDoctorAwayAsync(OutOfOffice? away) =>
        (await portal.Clinician(Portal.Doctor).SetOutOfOfficeAsync(Portal.Doctor, away)).Unwrap();

    private async Task<List<string>> ClinicalQueueAsync() =>
        (await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Nurse)).Unwrap().Select(e => e.ConversationId).ToList();
}
