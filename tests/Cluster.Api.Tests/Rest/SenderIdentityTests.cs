using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>Who wrote a message comes from the token alone; nothing in a request body can change it.</summary>
public sealed class SenderIdentityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task APayloadClaimingAnotherSenderIsRefusedAndTheSenderIsTheTokensSubject()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var forged = new
        {
            body = "Please treat this as coming from my doctor.",
            clientMessageId = "forged-1",
            senderId = "dr-house",
            senderRole = "Clinician",
            actor = new { userId = "dr-house", role = "Clinician" },
            onBehalfOf = "patient-ben",
            flags = "Automatic",
        };

        // Fields a request does not have are refused, not ignored: the sender learns that the claim was not taken.
        var refused = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", forged)).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Contains("senderId", refused.Detail, StringComparison.Ordinal);
        Assert.Empty((await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?after=1")).Messages);

        var sent = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody(forged.body, forged.clientMessageId)))
            .ReadAsync<MessageSent>(HttpStatusCode.Created);
        var stored = (await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages?after=1")).Messages.Single();

        foreach (var message in new[] { sent.Message, stored })
        {
            Assert.Equal(patientId, message.SenderId);
            Assert.Equal(UserRole.Patient, message.SenderRole);
            Assert.Null(message.OnBehalfOf);
            Assert.Equal(MessageFlags.None, message.Flags);
        }
    }

    [Fact]
    public async Task APatientCannotStartAConversationForAnotherPatient()
    {
        var otherId = await _org.PatientAsync();
        var (_, patient) = await _org.PatientWithTermsAsync();
        var body = new StartConversationBody(otherId, Topic.MedicalQuestion, "For someone else", "Hello on their behalf.", "other-1");

        await (await patient.PostAsync("/api/v1/conversations", body)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Empty((await _org.Admin.GetOkAsync<PatientView>($"/api/v1/patients/{otherId}")).ConversationIds);
    }

    [Fact]
    public async Task AProxyActingForAPatientWhoDidNotGrantThemIsRefused()
    {
        var (grantorId, grantor) = await _org.PatientWithTermsAsync();
        var (strangerId, stranger) = await _org.PatientWithTermsAsync();
        var strangersConversation = (await Organisation.StartAsync(stranger)).ConversationId;
        var proxyId = await _org.ProxyAccountAsync();
        await (await grantor.PostAsync($"/api/v1/patients/{grantorId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        var proxy = _org.ClientFor(proxyId, UserRole.Proxy);
        await Organisation.AcceptTermsAsync(proxy, grantorId);

        var start = new StartConversationBody(strangerId, Topic.MedicalQuestion, "Not mine", "Writing for someone who never asked me to.", "proxy-1");
        await (await proxy.PostAsync("/api/v1/conversations", start)).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await proxy.PostAsync($"/api/v1/conversations/{strangersConversation}/messages", new SendMessageBody("Hello", "proxy-2")))
            .ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await proxy.PostAsync("/api/v1/terms/accept", new AcceptTermsBody(strangerId, "2026-01"))).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);

        Assert.Equal([strangersConversation], (await stranger.GetOkAsync<List<ConversationView>>("/api/v1/conversations")).Select(c => c.Id));
        Assert.Equal(1, (await stranger.GetOkAsync<ConversationView>($"/api/v1/conversations/{strangersConversation}")).LastSequence);
    }

    [Fact]
    public async Task AProxySendingForTheirPatientIsRecordedAsTheProxy()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var proxyId = await _org.ProxyAccountAsync();
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        var proxy = _org.ClientFor(proxyId, UserRole.Proxy);
        await Organisation.AcceptTermsAsync(proxy, patientId);

        var sent = await (await proxy.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("Written by the proxy.", "p-1")))
            .ReadAsync<MessageSent>(HttpStatusCode.Created);

        Assert.Equal(proxyId, sent.Message.SenderId);
        Assert.Equal(UserRole.Proxy, sent.Message.SenderRole);
        Assert.Equal(patientId, sent.Message.OnBehalfOf);
    }
}
