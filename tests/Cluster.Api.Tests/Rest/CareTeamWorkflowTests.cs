using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Rest;

/// <summary>The care team's side over REST: read, claim, release, transfer, close, reopen, and the queue and inbox following along.</summary>
public sealed class CareTeamWorkflowTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task APrimaryCliniciansInboxHoldsTheConversationUntilTheyReply()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        Assert.Contains(id, await InboxAsync(clinician));
        var reply = await Organisation.SendAsync(clinician, id, "Your numbers look fine; keep up the exercise.");
        Assert.Equal(clinicianId, reply.Message.SenderId);
        Assert.Equal(UserRole.Clinician, reply.Message.SenderRole);
        Assert.DoesNotContain(id, await InboxAsync(clinician));
        Assert.Equal(ConversationStatus.AwaitingPatient, (await clinician.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}")).Status);

        await Organisation.SendAsync(patient, id, "Thank you! One more question about diet.");
        Assert.Contains(id, await InboxAsync(clinician));
    }

    [Fact]
    public async Task AClinicianMarkingReadIsVisibleInTheConversation()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        var position = await (await clinician.PostAsync($"/api/v1/conversations/{id}/read", new MarkReadBody(1))).ReadAsync<ReadPosition>(HttpStatusCode.OK);
        var seenByPatient = await patient.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}");

        Assert.Equal(clinicianId, position.UserId);
        Assert.Equal(1, position.Sequence);
        Assert.Contains(seenByPatient.ReadPositions, p => p.UserId == clinicianId && p.Sequence == 1);
    }

    [Fact]
    public async Task TransferClaimReleaseCloseAndReopenMoveTheConversationBetweenQueueAndInboxes()
    {
        var (teamId, firstId, secondId) = await _org.TeamOfTwoAsync();
        var first = _org.ClientFor(firstId, UserRole.Clinician);
        var second = _org.ClientFor(secondId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: firstId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        // To the team: out of the primary clinician's inbox, into the team's queue.
        var transferred = await ActAsync(first, id, "transfer", new TransferBody(teamId, null));
        Assert.Equal(teamId, transferred.CareTeamId);
        Assert.Null(transferred.AssignedClinicianId);
        Assert.Contains(id, await QueueAsync(first, teamId));
        Assert.DoesNotContain(id, await InboxAsync(first));

        // Claimed: out of the queue, into the claimer's inbox; nobody else can claim it now.
        var claimed = await ActAsync(second, id, "claim");
        Assert.Equal(secondId, claimed.AssignedClinicianId);
        Assert.DoesNotContain(id, await QueueAsync(second, teamId));
        Assert.Contains(id, await InboxAsync(second));
        await (await first.PostAsync($"/api/v1/conversations/{id}/claim")).ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.AlreadyClaimed);
        await (await first.PostAsync($"/api/v1/conversations/{id}/release")).ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.NotAssigned);
        var team = await first.GetOkAsync<CareTeamView>($"/api/v1/care-teams/{teamId}");
        Assert.Contains(team.Claims, c => c.ConversationId == id && c.ClinicianId == secondId);

        // Released: back to the queue.
        Assert.Null((await ActAsync(second, id, "release")).AssignedClinicianId);
        Assert.Contains(id, await QueueAsync(first, teamId));
        Assert.DoesNotContain(id, await InboxAsync(second));

        // Claimed again and handed to a named clinician.
        await ActAsync(first, id, "claim");
        var handed = await ActAsync(first, id, "transfer", new TransferBody(null, secondId));
        Assert.Equal(secondId, handed.AssignedClinicianId);
        Assert.Contains(id, await InboxAsync(second));
        Assert.DoesNotContain(id, await InboxAsync(first));

        // Closed with a last word: out of every list, and the patient can no longer reply.
        var closed = await ActAsync(second, id, "close", new CloseBody("Glad we could help. Take care!", "closing-1"));
        Assert.Equal(ConversationStatus.Closed, closed.Status);
        Assert.DoesNotContain(id, await InboxAsync(second));
        Assert.DoesNotContain(id, await QueueAsync(second, teamId));
        var page = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages");
        Assert.Equal(MessageFlags.Closing, page.Messages[^1].Flags);
        await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("Wait, one more thing", "late")))
            .ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ConversationClosed);

        // Reopened: the patient may write again.
        Assert.Equal(ConversationStatus.Open, (await ActAsync(second, id, "reopen")).Status);
        await Organisation.SendAsync(patient, id, "Thanks for reopening.");
        Assert.Contains(id, await InboxAsync(second));
    }

    [Fact]
    public async Task TheQueueListsUrgentConversationsFirst()
    {
        var (teamId, clinicianId, _) = await _org.TeamOfTwoAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, calm) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var (_, worried) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var routine = (await Organisation.StartAsync(calm)).ConversationId;
        var urgent = await (await worried.PostAsync("/api/v1/conversations", new StartConversationBody(
            null, Topic.MedicalQuestion, "Feeling unwell", "I have chest pain since this morning.", "urgent-1"))).ReadAsync<StartedConversation>(HttpStatusCode.Created);
        Assert.True(urgent.Started.Conversation.Urgent);
        Assert.NotEmpty(urgent.Started.AutomaticReplies);

        await ActAsync(clinician, routine, "transfer", new TransferBody(teamId, null));
        await ActAsync(clinician, urgent.ConversationId, "transfer", new TransferBody(teamId, null));
        var queue = await clinician.GetOkAsync<List<QueueEntry>>($"/api/v1/care-teams/{teamId}/queue");

        Assert.Equal([urgent.ConversationId, routine], queue.Select(e => e.ConversationId));
        Assert.Equal(QueuePriority.Urgent, queue[0].Priority);
    }

    private static async Task<ConversationView> ActAsync(RestClient clinician, string id, string action, object? body = null) =>
        await (await clinician.PostAsync($"/api/v1/conversations/{id}/{action}", body))
            .ReadAsync<ConversationView>(HttpStatusCode.OK);

    private static async Task<List<string>> InboxAsync(RestClient clinician) =>
        (await clinician.GetOkAsync<List<ConversationView>>("/api/v1/inbox")).Select(c => c.Id).ToList();

    private static async Task<List<string>> QueueAsync(RestClient clinician, string teamId) =>
        (await clinician.GetOkAsync<List<QueueEntry>>($"/api/v1/care-teams/{teamId}/queue")).Select(e => e.ConversationId).ToList();
}
