using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 11: a pool's members claim, release and transfer the conversations in its queue; outsiders cannot, and every
/// change is announced to the conversation's participants and to the pool's members.
/// </summary>
public sealed class PoolTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task AMemberWhoClaimsTakesTheConversationOutOfTheQueueAndIntoTheirInbox()
    {
        var id = await RenewalInNursesQueueAsync();
        var queuedBefore = await QueueAsync(Portal.Nurses, Portal.Nurse);

        var claimed = (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();

        Assert.Contains(id, queuedBefore);
        Assert.Equal(Portal.Nurse.UserId, claimed.AssignedClinicianId);
        Assert.DoesNotContain(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
        Assert.Contains(id, await InboxAsync(Portal.Nurse));
        var change = Assert.Single(await ChangesAsync(Portal.SecondNurse, id, ConversationChange.Claimed));
        Assert.Equal(Portal.Nurse.UserId, change.ActorId);
        Assert.Contains(await InboxEventsAsync(Portal.SecondNurse, id), e => e.OwnerId == Portal.Nurses && e.Reason == "claimed");
    }

    [Fact]
    public async Task ThePoolRecordsWhichMemberClaimedTheConversationUntilItIsReleased()
    {
        var id = await RenewalInNursesQueueAsync();
        var claimedAt = portal.Clock.GetUtcNow();

        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();
        var whileClaimed = (await portal.CareTeam(Portal.Nurses).GetAsync(Portal.SecondNurse)).Unwrap().Claims;
        (await portal.Conversation(id).ReleaseAsync(Portal.Nurse)).Unwrap();
        var afterRelease = (await portal.CareTeam(Portal.Nurses).GetAsync(Portal.SecondNurse)).Unwrap().Claims;

        Assert.Contains(new ClaimRecord(id, Portal.Nurse.UserId, claimedAt), whileClaimed);
        Assert.DoesNotContain(afterRelease, c => c.ConversationId == id);
    }

    [Fact]
    public async Task AClaimedConversationThatAwaitsThePatientEntersTheInboxOnlyWhenThePatientWrites()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal);
        await portal.SendAsync(id, Portal.Nurse, "Which pharmacy should we send it to?");

        (await portal.Conversation(id).ClaimAsync(Portal.SecondNurse)).Unwrap();
        var inboxBeforeReply = await InboxAsync(Portal.SecondNurse);
        await portal.SendAsync(id, patient, "The one on Main Street.");

        Assert.DoesNotContain(id, inboxBeforeReply);
        Assert.Contains(id, await InboxAsync(Portal.SecondNurse));
        Assert.DoesNotContain(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
    }

    [Fact]
    public async Task ASecondMembersClaimIsRefusedAsAlreadyClaimed()
    {
        var id = await RenewalInNursesQueueAsync();
        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();

        var outcome = await portal.Conversation(id).ClaimAsync(Portal.SecondNurse);

        Assert.Equal(ErrorCodes.AlreadyClaimed, outcome.Problem?.Code);
        Assert.Equal(Portal.Nurse.UserId, (await portal.Conversation(id).GetAsync(Portal.Nurse)).Unwrap().AssignedClinicianId);
        Assert.DoesNotContain(id, await InboxAsync(Portal.SecondNurse));
    }

    [Fact]
    public async Task AClinicianOutsideThePoolCannotClaimAndSeesNotFound()
    {
        var id = await RenewalInNursesQueueAsync();

        var outsider = await portal.Conversation(id).ClaimAsync(Portal.Outsider);
        var otherPoolsClerk = await portal.Conversation(id).ClaimAsync(Portal.Clerk);

        Assert.Equal(ErrorCodes.NotFound, outsider.Problem?.Code);
        Assert.Equal(ErrorCodes.NotFound, otherPoolsClerk.Problem?.Code);
        Assert.Null((await portal.Conversation(id).GetAsync(Portal.Nurse)).Unwrap().AssignedClinicianId);
        Assert.Contains(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
        Assert.DoesNotContain(id, await InboxAsync(Portal.Outsider));
    }

    [Fact]
    public async Task ReleasingPutsTheConversationBackInTheQueueForAnotherMember()
    {
        var id = await RenewalInNursesQueueAsync();
        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();

        var released = (await portal.Conversation(id).ReleaseAsync(Portal.Nurse)).Unwrap();

        Assert.Null(released.AssignedClinicianId);
        Assert.Contains(id, await QueueAsync(Portal.Nurses, Portal.SecondNurse));
        Assert.DoesNotContain(id, await InboxAsync(Portal.Nurse));
        Assert.Single(await ChangesAsync(Portal.SecondNurse, id, ConversationChange.Released));
        Assert.Equal(2, (await InboxEventsAsync(Portal.SecondNurse, id)).Count(e => e.OwnerId == Portal.Nurses && e.Reason == "queued"));
        Assert.Equal(Portal.SecondNurse.UserId, (await portal.Conversation(id).ClaimAsync(Portal.SecondNurse)).Unwrap().AssignedClinicianId);
    }

    [Fact]
    public async Task OnlyTheClinicianWhoHasTheConversationCanReleaseIt()
    {
        var id = await RenewalInNursesQueueAsync();
        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();

        var outcome = await portal.Conversation(id).ReleaseAsync(Portal.SecondNurse);

        Assert.Equal(ErrorCodes.NotAssigned, outcome.Problem?.Code);
        Assert.Equal(Portal.Nurse.UserId, (await portal.Conversation(id).GetAsync(Portal.Nurse)).Unwrap().AssignedClinicianId);
        Assert.DoesNotContain(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
    }

    [Fact]
    public async Task TransferringToAnotherPoolMovesTheConversationToThatPoolsQueue()
    {
        var id = await RenewalInNursesQueueAsync();

        var moved = (await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.Nurse, Portal.FrontDesk, null))).Unwrap();

        Assert.Equal(Portal.FrontDesk, moved.CareTeamId);
        Assert.Null(moved.AssignedClinicianId);
        Assert.DoesNotContain(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
        Assert.Contains(id, await QueueAsync(Portal.FrontDesk, Portal.Clerk));
        Assert.Single(await ChangesAsync(Portal.Clerk, id, ConversationChange.Transferred));
        Assert.Single(await ChangesAsync(Portal.SecondNurse, id, ConversationChange.Transferred));
        Assert.Contains(await InboxEventsAsync(Portal.Clerk, id), e => e.OwnerId == Portal.FrontDesk && e.Reason == "queued");
        Assert.Contains(await InboxEventsAsync(Portal.SecondNurse, id), e => e.OwnerId == Portal.Nurses && e.Reason == "removed");
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(Portal.SecondNurse)).Problem?.Code);
    }

    [Fact]
    public async Task TransferringAClaimedConversationToAnotherPoolTakesItOutOfTheClaimersInbox()
    {
        var id = await RenewalInNursesQueueAsync();
        (await portal.Conversation(id).ClaimAsync(Portal.Nurse)).Unwrap();

        var moved = (await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.Nurse, Portal.FrontDesk, null))).Unwrap();

        Assert.Equal(Portal.FrontDesk, moved.CareTeamId);
        Assert.Null(moved.AssignedClinicianId);
        Assert.DoesNotContain(id, await InboxAsync(Portal.Nurse));
        Assert.Contains(id, await QueueAsync(Portal.FrontDesk, Portal.Clerk));
        Assert.Single(await ChangesAsync(Portal.Nurse, id, ConversationChange.Transferred));
        Assert.Single(await ChangesAsync(Portal.Clerk, id, ConversationChange.Transferred));
        Assert.Contains(await InboxEventsAsync(Portal.Clerk, id), e => e.OwnerId == Portal.FrontDesk && e.Reason == "queued");
    }

    [Fact]
    public async Task TransferringToAClinicianAssignsTheConversationToThem()
    {
        var id = await RenewalInNursesQueueAsync();

        var moved = (await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.Nurse, null, Portal.OtherDoctor.UserId))).Unwrap();

        Assert.Equal(Portal.OtherDoctor.UserId, moved.AssignedClinicianId);
        Assert.DoesNotContain(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
        Assert.Contains(id, await InboxAsync(Portal.OtherDoctor));
        Assert.Single(await ChangesAsync(Portal.OtherDoctor, id, ConversationChange.Transferred));
        Assert.Single(await ChangesAsync(Portal.SecondNurse, id, ConversationChange.Transferred));
        Assert.Contains(await InboxEventsAsync(Portal.SecondNurse, id), e => e.OwnerId == Portal.Nurses && e.Reason == "removed");
        Assert.True((await portal.Conversation(id).GetMessagesAsync(Portal.OtherDoctor, null, null, 10)).IsOk);
    }

    [Fact]
    public async Task TransferringToAnUnknownPoolIsRefusedAndChangesNothing()
    {
        var id = await RenewalInNursesQueueAsync();

        var outcome = await portal.Conversation(id).TransferAsync(new TransferRequest(Portal.Nurse, "no-such-pool", null));

        Assert.Equal(ErrorCodes.NotFound, outcome.Problem?.Code);
        Assert.Equal(Portal.Nurses, (await portal.Conversation(id).GetAsync(Portal.Nurse)).Unwrap().CareTeamId);
        Assert.Contains(id, await QueueAsync(Portal.Nurses, Portal.Nurse));
        Assert.Empty(await ChangesAsync(Portal.Nurse, id, ConversationChange.Transferred));
    }

    /// <summary>A prescription renewal from a patient without a primary clinician: it waits in the nurses' queue.</summary>
    private async Task<string> RenewalInNursesQueueAsync()
    {
        var patient = await portal.NewPatientAsync();
        var (id, started) = await portal.StartAsync(patient, topic: Topic.PrescriptionRenewal, body: "Please renew my inhaler.");
        Assert.Equal(Portal.Nurses, started.Conversation.CareTeamId);
        Assert.Null(started.Conversation.AssignedClinicianId);
        return id;
    }

    private async Task<List<string>> QueueAsync(string careTeamId, Actor member) =>
        (await portal.CareTeam(careTeamId).GetQueueAsync(member)).Unwrap().Select(e => e.ConversationId).ToList();

    private async Task<IReadOnlyList<string>> InboxAsync(Actor clinician) =>
        (await portal.Clinician(clinician).GetInboxAsync(clinician)).Unwrap();

    private async Task<List<ConversationChanged>> ChangesAsync(Actor user, string conversationId, ConversationChange change) =>
        (await portal.EventsAsync<ConversationChanged>(user.UserId)).Where(c => c.ConversationId == conversationId && c.Change == change).ToList();

    private async Task<List<InboxChanged>> InboxEventsAsync(Actor user, string conversationId) =>
        (await portal.EventsAsync<InboxChanged>(user.UserId)).Where(e => e.ConversationId == conversationId).ToList();
}
