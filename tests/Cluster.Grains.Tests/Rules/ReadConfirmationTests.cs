using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 9: a read position only moves forward, every move is confirmed to the other participants, and a care-team
/// message the patient leaves unread for two days alerts its sender.
/// </summary>
public sealed class ReadConfirmationTests(Portal portal) : IClassFixture<Portal>
{
    private static readonly TimeSpan AlertDelay = TimeSpan.FromDays(2);

    [Fact]
    public async Task MarkingAnOlderSequenceKeepsTheNewerPositionAndEmitsNothing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "Keep taking it as prescribed.");
        await portal.SendAsync(id, Portal.Doctor, "And measure again in a week.");

        var forward = (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 3))).Unwrap();
        var backward = (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();
        var repeated = (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 3))).Unwrap();

        Assert.Equal(3, forward.Sequence);
        Assert.Equal(3, backward.Sequence);
        Assert.Equal(3, repeated.Sequence);
        var view = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.Equal(3, view.ReadPositions.Single(p => p.UserId == patient.UserId).Sequence);
        var confirmations = await ConfirmationsAsync(Portal.Doctor.UserId, id);
        Assert.Equal(3, Assert.Single(confirmations).UpToSequence);
    }

    [Fact]
    public async Task APatientReadingAnAnswerConfirmsItToTheClinicianWhoAnswered()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "Your results are normal.");
        var readAt = portal.Clock.GetUtcNow();

        var position = (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();

        Assert.Equal(new ReadPosition(patient.UserId, 2, readAt), position);
        var confirmation = Assert.Single(await ConfirmationsAsync(Portal.Doctor.UserId, id));
        Assert.Equal(new ReadConfirmation(id, patient.UserId, UserRole.Patient, 2, readAt), confirmation);
    }

    [Fact]
    public async Task AClinicianReadingThePatientsMessageConfirmsItToThePatientAndTheirProxy()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
        var (id, _) = await portal.StartAsync(patient);

        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(Portal.Doctor, 1))).Unwrap();

        foreach (var participant in new[] { patient.UserId, proxy.UserId })
        {
            var confirmation = Assert.Single(await ConfirmationsAsync(participant, id));
            Assert.Equal(Portal.Doctor.UserId, confirmation.ReaderId);
            Assert.Equal(UserRole.Clinician, confirmation.ReaderRole);
            Assert.Equal(1, confirmation.UpToSequence);
        }
    }

    [Fact]
    public async Task WhileTheConversationWaitsInThePoolEveryMemberReceivesThePatientsReadConfirmation()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal);
        await portal.SendAsync(id, Portal.Nurse, "Your renewal is at the pharmacy.");

        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();

        Assert.Equal(2, Assert.Single(await ConfirmationsAsync(Portal.Nurse.UserId, id)).UpToSequence);
        Assert.Equal(2, Assert.Single(await ConfirmationsAsync(Portal.SecondNurse.UserId, id)).UpToSequence);
    }

    [Fact]
    public async Task AnAnswerThePatientLeavesUnreadForTwoDaysAlertsItsSender()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        var answer = await portal.SendAsync(id, Portal.Doctor, "Please book a blood test this week.");

        await portal.AdvanceAsync(AlertDelay - TimeSpan.FromMinutes(1));
        var beforeDelay = await AlertsAsync(Portal.Doctor.UserId, id);
        await portal.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Empty(beforeDelay);
        var alert = Assert.Single(await AlertsAsync(Portal.Doctor.UserId, id));
        Assert.Equal(new UnreadAlert(id, patient.UserId, answer.Message.Sequence, answer.Message.CreatedAt), alert);
        Assert.Empty(await AlertsAsync(patient.UserId, id));
        Assert.Empty(await AlertsAsync(Portal.OtherDoctor.UserId, id));
    }

    [Fact]
    public async Task APatientWhoReadsInTimeCausesNoAlert()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "Please book a blood test this week.");

        await portal.AdvanceAsync(TimeSpan.FromDays(1));
        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();
        await portal.AdvanceAsync(AlertDelay + TimeSpan.FromDays(1));

        Assert.Empty(await AlertsAsync(Portal.Doctor.UserId, id));
    }

    [Fact]
    public async Task OnlyTheAnswerStillUnreadAlertsItsSender()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "First, your results are normal.");
        await portal.SendAsync(id, Portal.Doctor, "Second, please book a follow-up.");

        (await portal.Conversation(id).MarkReadAsync(new MarkReadRequest(patient, 2))).Unwrap();
        await portal.AdvanceAsync(AlertDelay + TimeSpan.FromMinutes(1));

        Assert.Equal(3, Assert.Single(await AlertsAsync(Portal.Doctor.UserId, id)).Sequence);
    }

    private async Task<List<ReadConfirmation>> ConfirmationsAsync(string userId, string conversationId) =>
        (await portal.EventsAsync<ReadConfirmation>(userId)).Where(c => c.ConversationId == conversationId).ToList();

    private async Task<List<UnreadAlert>> AlertsAsync(string userId, string conversationId) =>
        (await portal.EventsAsync<UnreadAlert>(userId)).Where(a => a.ConversationId == conversationId).ToList();
}
