using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>A used client message id over REST: the same content again is a retry (200, the original); other content is refused (409).</summary>
public sealed class IdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData(UserRole.Patient)]
    [InlineData(UserRole.Proxy)]
    [InlineData(UserRole.Clinician)]
    public async Task AChangedMessageUnderAUsedClientMessageIdAnswers409IdempotencyConflictAndTheOriginalStands(UserRole role)
    {
        var clinicianId = await _org.ClinicianAsync();
        var (patientId, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var sender = role switch
        {
            UserRole.Proxy => await ProxyAsync(patientId, patient),
            UserRole.Clinician => _org.ClientFor(clinicianId, UserRole.Clinician),
            _ => patient,
        };
        var original = await Organisation.SendAsync(sender, id, "My dose is 5 mg.", "dose-1");

        var correction = await sender.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("Correction: my dose is 50 mg.", "dose-1"));

        var problem = await correction.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.IdempotencyConflict);
        Assert.Contains("as a new message", problem.Detail, StringComparison.Ordinal);
        var page = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages");
        Assert.Equal(["My dose is 5 mg."], page.Messages.Skip(1).Select(m => m.Body));
        var retried = await (await sender.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("My dose is 5 mg.", "dose-1")))
            .ReadAsync<MessageSent>(HttpStatusCode.OK);
        Assert.True(retried.Duplicate);
        Assert.Equal(original.Message.Sequence, retried.Message.Sequence);
    }

    [Theory]
    [InlineData(Topic.Billing, "Question about my results", "Could you tell me what my latest cholesterol numbers mean?")]
    [InlineData(Topic.MedicalQuestion, "Question about my bill", "Could you tell me what my latest cholesterol numbers mean?")]
    [InlineData(Topic.MedicalQuestion, "Question about my results", "Could you tell me what my latest blood sugar numbers mean?")]
    public async Task StartingAgainWithTheSameClientMessageIdButAnotherTopicSubjectOrBodyAnswers409ConversationExists(Topic topic, string subject, string body)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var first = await Organisation.StartAsync(patient, clientMessageId: "start-twice");

        var again = await patient.PostAsync("/api/v1/conversations", new StartConversationBody(null, topic, subject, body, "start-twice"));

        var problem = await again.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ConversationExists);
        Assert.Contains("new client message id", problem.Detail, StringComparison.Ordinal);
        var conversations = await patient.GetOkAsync<List<ConversationView>>("/api/v1/conversations");
        var only = Assert.Single(conversations);
        Assert.Equal((first.ConversationId, Topic.MedicalQuestion, "Question about my results", 1L), (only.Id, only.Topic, only.Subject, only.LastSequence));
    }

    [Fact]
    public async Task ClosingWithAMessageUnderAClientMessageIdUsedForAnotherMessageAnswers409AndLeavesTheConversationOpen()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        await Organisation.SendAsync(clinician, id, "Take 5 mg each morning.", "reply-1");

        var closing = await clinician.PostAsync($"/api/v1/conversations/{id}/close", new CloseBody("I am closing this thread now.", "reply-1"));

        await closing.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.IdempotencyConflict);
        var conversation = await patient.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}");
        Assert.Equal((ConversationStatus.AwaitingPatient, 2L), (conversation.Status, conversation.LastSequence));
    }

    [Fact]
    public async Task StartingAgainWithTheSameClientMessageIdButAsPrivateAnswers409ConversationExists()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var first = await Organisation.StartAsync(patient, clientMessageId: "start-shared");

        var again = await patient.PostAsync("/api/v1/conversations", new StartConversationBody(null, Topic.MedicalQuestion, "Question about my results",
            "Could you tell me what my latest cholesterol numbers mean?", "start-shared", Private: true));

        await again.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ConversationExists);
        var only = Assert.Single(await patient.GetOkAsync<List<ConversationView>>("/api/v1/conversations"));
        Assert.Equal((first.ConversationId, false), (only.Id, only.Private));
    }

    [Fact]
    public async Task ClosingAgainWithTheSameClosingMessageAnswers200AndAChangedOneAnswers409()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var closed = await (await clinician.PostAsync($"/api/v1/conversations/{id}/close", new CloseBody("Take 5 mg each morning. Closing now.", "close-1")))
            .ReadAsync<ConversationView>(HttpStatusCode.OK);

        var retried = await (await clinician.PostAsync($"/api/v1/conversations/{id}/close", new CloseBody("Take 5 mg each morning. Closing now.", "close-1")))
            .ReadAsync<ConversationView>(HttpStatusCode.OK);
        var changed = await clinician.PostAsync($"/api/v1/conversations/{id}/close", new CloseBody("Correction: take 50 mg each morning.", "close-1"));
        var another = await clinician.PostAsync($"/api/v1/conversations/{id}/close", new CloseBody("Please book a follow-up.", "close-2"));

        Assert.Equal((ConversationStatus.Closed, closed.LastSequence), (retried.Status, retried.LastSequence));
        await changed.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.IdempotencyConflict);
        await another.ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ConversationClosed);
        var page = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages");
        Assert.Equal(["Take 5 mg each morning. Closing now."], page.Messages.Skip(1).Select(m => m.Body));
    }

    /// <summary>A fresh proxy who may send for the patient and accepted the terms.</summary>
    private async Task<RestClient> ProxyAsync(string patientId, RestClient patient)
    {
        var proxyId = await _org.ProxyAccountAsync();
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        var proxy = _org.ClientFor(proxyId, UserRole.Proxy);
        await Organisation.AcceptTermsAsync(proxy, patientId);
        return proxy;
    }
}
