using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>A patient's side of a conversation over REST: terms, start, list, read, page and send.</summary>
public sealed class ConversationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task StartingBeforeAcceptingTheTermsIsRefusedUntilTheyAreAccepted()
    {
        var patientId = await _org.PatientAsync();
        var patient = _org.ClientFor(patientId, UserRole.Patient);
        var body = new StartConversationBody(null, Topic.MedicalQuestion, "Refill", "Can I renew my usual prescription?", "first");

        await (await patient.PostAsync("/api/v1/conversations", body)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.TermsNotAccepted);
        var terms = await patient.GetOkAsync<TermsStatus>("/api/v1/terms");
        Assert.False(terms.Accepted);
        await (await patient.PostAsync("/api/v1/terms/accept", new { version = "not-the-current-version" }))
            .ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.TermsVersionMismatch);
        await Organisation.AcceptTermsAsync(patient);

        var started = await (await patient.PostAsync("/api/v1/conversations", body)).ReadAsync<StartedConversation>(HttpStatusCode.Created);
        Assert.Equal(patientId, started.Started.Conversation.PatientId);
    }

    [Fact]
    public async Task StartingAnswers201WithTheIdTheNoticeAndTheExpectedReplyTime()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var body = new StartConversationBody(null, Topic.MedicalQuestion, "Lab results", "What do my latest lab results mean?", "start-1");

        var response = await patient.PostAsync("/api/v1/conversations", body);
        var started = await response.ReadAsync<StartedConversation>(HttpStatusCode.Created);

        Assert.StartsWith("c-", started.ConversationId);
        Assert.Equal($"/api/v1/conversations/{started.ConversationId}", response.Headers.Location?.OriginalString);
        Assert.Equal(started.ConversationId, started.Started.Conversation.Id);
        Assert.Equal(patientId, started.Started.Conversation.PatientId);
        Assert.Equal(ConversationStatus.AwaitingCareTeam, started.Started.Conversation.Status);
        Assert.Contains("911", started.Started.Notice);
        Assert.NotNull(started.Started.ExpectedReplyBy);
        Assert.True(started.Started.ExpectedReplyBy > DateTimeOffset.UtcNow);
        Assert.Equal(1, started.Started.Message.Sequence);
        Assert.Equal(patientId, started.Started.Message.SenderId);
        Assert.False(started.Started.Duplicate);
    }

    [Fact]
    public async Task StartingAgainWithTheSameClientMessageIdAnswers200WithTheSameConversation()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var first = await Organisation.StartAsync(patient, clientMessageId: "retried-start");

        var body = new StartConversationBody(null, Topic.MedicalQuestion, "Question about my results", "Could you tell me what my latest cholesterol numbers mean?", "retried-start");
        var again = await (await patient.PostAsync("/api/v1/conversations", body)).ReadAsync<StartedConversation>(HttpStatusCode.OK);

        Assert.Equal(first.ConversationId, again.ConversationId);
        Assert.True(again.Started.Duplicate);
        Assert.Equal(first.Started.Message.Sequence, again.Started.Message.Sequence);
    }

    [Fact]
    public async Task ListingAndGettingShowThePatientsOwnConversations()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var older = await Organisation.StartAsync(patient);
        var newer = await Organisation.StartAsync(patient, topic: Topic.Billing);

        var list = await patient.GetOkAsync<List<ConversationView>>("/api/v1/conversations");
        var one = await patient.GetOkAsync<ConversationView>($"/api/v1/conversations/{older.ConversationId}");

        Assert.Equal([newer.ConversationId, older.ConversationId], list.Select(c => c.Id));
        Assert.All(list, c => Assert.Equal(patientId, c.PatientId));
        Assert.Equal(older.ConversationId, one.Id);
        Assert.Equal(Topic.MedicalQuestion, one.Topic);
        Assert.Equal("Question about my results", one.Subject);
    }

    [Fact]
    public async Task MessagesPageForwardAfterASequenceAndBackwardBeforeIt()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        for (var i = 2; i <= 4; i++)
        {
            await Organisation.SendAsync(patient, id, $"Follow-up number {i}.");
        }

        var first = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?after=0&limit=2");
        var rest = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?after=2&limit=2");
        var back = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?before=4&limit=2");
        var oldest = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?before=2&limit=2");

        Assert.Equal([1L, 2L], first.Messages.Select(m => m.Sequence));
        Assert.True(first.HasMore);
        Assert.Equal([3L, 4L], rest.Messages.Select(m => m.Sequence));
        Assert.False(rest.HasMore);
        Assert.Equal([2L, 3L], back.Messages.Select(m => m.Sequence));
        Assert.True(back.HasMore);
        Assert.Equal([1L], oldest.Messages.Select(m => m.Sequence));
        Assert.False(oldest.HasMore);
    }

    [Fact]
    public async Task SendingAnswers201AndTheSameClientMessageIdAgainAnswers200WithTheSameSequence()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var body = new SendMessageBody("One more detail: I fasted before the test.", "detail-1");

        var created = await patient.PostAsync($"/api/v1/conversations/{id}/messages", body);
        var sent = await created.ReadAsync<MessageSent>(HttpStatusCode.Created);
        var retried = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", body)).ReadAsync<MessageSent>(HttpStatusCode.OK);

        Assert.NotNull(created.Headers.Location);
        Assert.Equal(2, sent.Message.Sequence);
        Assert.Equal(patientId, sent.Message.SenderId);
        Assert.False(sent.Duplicate);
        Assert.True(retried.Duplicate);
        Assert.Equal(sent.Message.Sequence, retried.Message.Sequence);
        var page = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages");
        Assert.Single(page.Messages, m => m.ClientMessageId == "detail-1");
    }

    [Fact]
    public async Task MarkingReadMovesTheReadersPositionAndNeverBack()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        await Organisation.SendAsync(patient, id, "And another thing.");

        var position = await (await patient.PostAsync($"/api/v1/conversations/{id}/read", new MarkReadBody(2))).ReadAsync<ReadPosition>(HttpStatusCode.OK);
        var backwards = await (await patient.PostAsync($"/api/v1/conversations/{id}/read", new MarkReadBody(1))).ReadAsync<ReadPosition>(HttpStatusCode.OK);

        Assert.Equal(patientId, position.UserId);
        Assert.Equal(2, position.Sequence);
        Assert.Equal(2, backwards.Sequence);
    }
}
