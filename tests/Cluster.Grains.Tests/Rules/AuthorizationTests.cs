using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Authorisation: a conversation someone may not see answers exactly like one that does not exist, and the care
/// team's operations are refused to the patient side.
/// </summary>
public sealed class AuthorizationTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task AnotherPatientsConversationAnswersExactlyLikeAMissingOne()
    {
        var owner = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var intruder = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(owner);

        var existing = await ReadAndWriteProblemsAsync(id, intruder);
        var missing = await ReadAndWriteProblemsAsync(Portal.NewConversationId(), intruder);

        Assert.All(existing, problem => Assert.Equal(ErrorCodes.NotFound, problem?.Code));
        Assert.Equal(missing, existing);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.DoesNotContain(await portal.FeedAsync(intruder.UserId), e => e.Payload.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(intruder.UserId, (await portal.Conversation(id).GetAsync(owner)).Unwrap().ReadPositions.Select(p => p.UserId));
    }

    [Fact]
    public async Task AProxyOfAnotherPatientSeesTheConversationAsMissing()
    {
        var owner = await portal.NewPatientAsync();
        var otherPatient = await portal.NewPatientAsync();
        var otherProxy = await portal.NewProxyAsync(otherPatient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(owner);

        var existing = await ReadAndWriteProblemsAsync(id, otherProxy);
        var missing = await ReadAndWriteProblemsAsync(Portal.NewConversationId(), otherProxy);

        Assert.All(existing, problem => Assert.Equal(ErrorCodes.NotFound, problem?.Code));
        Assert.Equal(missing, existing);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task APatientCannotClaimCloseTransferOrReleaseTheirOwnConversation()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal);
        var conversation = portal.Conversation(id);

        var refusals = new[]
        {
            (await conversation.ClaimAsync(patient)).Problem,
            (await conversation.CloseAsync(new CloseRequest(patient, null, null))).Problem,
            (await conversation.TransferAsync(new TransferRequest(patient, Portal.FrontDesk, null))).Problem,
            (await conversation.TransferAsync(new TransferRequest(patient, null, Portal.Doctor.UserId))).Problem,
            (await conversation.ReleaseAsync(patient)).Problem,
        };

        Assert.All(refusals, problem => Assert.Equal(ErrorCodes.Forbidden, problem?.Code));
        var after = (await conversation.GetAsync(patient)).Unwrap();
        Assert.Equal((started.Conversation.Status, started.Conversation.CareTeamId, started.Conversation.AssignedClinicianId), (after.Status, after.CareTeamId, after.AssignedClinicianId));
        Assert.Contains(id, (await portal.CareTeam(Portal.Nurses).GetQueueAsync(Portal.Nurse)).Unwrap().Select(e => e.ConversationId));
    }

    [Fact]
    public async Task AProxyCannotCloseOrClaimThePatientsConversation()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);

        var close = await portal.Conversation(id).CloseAsync(new CloseRequest(proxy, null, null));
        var claim = await portal.Conversation(id).ClaimAsync(proxy);

        Assert.Equal(ErrorCodes.Forbidden, close.Problem?.Code);
        Assert.Equal(ErrorCodes.Forbidden, claim.Problem?.Code);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, (await portal.Conversation(id).GetAsync(patient)).Unwrap().Status);
    }

    [Fact]
    public async Task APatientCallingCareTeamOperationsOnAnotherPatientsConversationSeesItAsMissing()
    {
        var owner = await portal.NewPatientAsync();
        var intruder = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(owner);

        var existing = await CareTeamProblemsAsync(id, intruder);
        var missing = await CareTeamProblemsAsync(Portal.NewConversationId(), intruder);

        Assert.All(existing, problem => Assert.Equal(ErrorCodes.NotFound, problem?.Code));
        Assert.Equal(missing, existing);
    }

    [Fact]
    public async Task AClinicianOutsideTheCareTeamSeesTheConversationAsMissing()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var existing = (await ReadAndWriteProblemsAsync(id, Portal.Outsider)).Concat(await CareTeamProblemsAsync(id, Portal.Outsider)).ToList();
        var missing = (await ReadAndWriteProblemsAsync(Portal.NewConversationId(), Portal.Outsider)).Concat(await CareTeamProblemsAsync(Portal.NewConversationId(), Portal.Outsider)).ToList();

        Assert.All(existing, problem => Assert.Equal(ErrorCodes.NotFound, problem?.Code));
        Assert.Equal(missing, existing);
        Assert.Single(await portal.StoredMessagesAsync(id));
        var view = (await portal.Conversation(id).GetAsync(patient)).Unwrap();
        Assert.Equal((ConversationStatus.AwaitingCareTeam, (string?)null, Portal.Clinical), (view.Status, view.AssignedClinicianId, view.CareTeamId));
    }

    [Fact]
    public async Task AStaffMemberOfAnotherPoolSeesTheConversationAsMissing()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal);

        var existing = (await ReadAndWriteProblemsAsync(id, Portal.Clerk)).Concat(await CareTeamProblemsAsync(id, Portal.Clerk)).ToList();

        Assert.All(existing, problem => Assert.Equal(ErrorCodes.NotFound, problem?.Code));
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    /// <summary>What each read and write operation answers this actor, in a fixed order.</summary>
    private async Task<List<Problem?>> ReadAndWriteProblemsAsync(string conversationId, Actor actor)
    {
        var conversation = portal.Conversation(conversationId);
        return
        [
            (await conversation.GetAsync(actor)).Problem,
            (await conversation.GetMessagesAsync(actor, null, null, 50)).Problem,
            (await conversation.SendAsync(new SendMessageRequest(actor, "Let me in.", Portal.NewClientId()))).Problem,
            (await conversation.MarkReadAsync(new MarkReadRequest(actor, 1))).Problem,
        ];
    }

    /// <summary>What each care-team operation answers this actor, in a fixed order.</summary>
    private async Task<List<Problem?>> CareTeamProblemsAsync(string conversationId, Actor actor)
    {
        var conversation = portal.Conversation(conversationId);
        return
        [
            (await conversation.ClaimAsync(actor)).Problem,
            (await conversation.CloseAsync(new CloseRequest(actor, "Closing.", Portal.NewClientId()))).Problem,
            (await conversation.TransferAsync(new TransferRequest(actor, Portal.FrontDesk, null))).Problem,
            (await conversation.ReleaseAsync(actor)).Problem,
            (await conversation.ReopenAsync(actor)).Problem,
        ];
    }

    [Fact]
    public async Task OnlyThePatientsOwnClinicianAndTheTeamsTheyWroteToSeeThePatient()
    {
        var patient = await portal.NewPatientAsync(primaryClinicianId: Portal.Doctor.UserId);

        var beforeWriting = await portal.Patient(patient).GetAsync(Portal.Clerk);
        await portal.StartAsync(patient, topic: Topic.Billing);

        Assert.True((await portal.Patient(patient).GetAsync(Portal.Doctor)).IsOk);
        Assert.Equal(ErrorCodes.NotFound, beforeWriting.Problem?.Code);
        Assert.True((await portal.Patient(patient).GetAsync(Portal.Clerk)).IsOk);
        Assert.Equal(ErrorCodes.NotFound, (await portal.Patient(patient).GetAsync(Portal.SecondNurse)).Problem?.Code);
        Assert.Equal(ErrorCodes.NotFound, (await portal.Patient(patient).ListConversationsAsync(Portal.Outsider)).Problem?.Code);
    }
}
