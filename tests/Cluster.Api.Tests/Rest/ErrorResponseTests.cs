using System.Net;
using System.Text;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>Refusals are problem documents with a stable code and a sentence, never an exception's internals.</summary>
public sealed class ErrorResponseTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData("{\"topic\": \"MedicalQuestion\", \"subject\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"topic\": 12.5, \"subject\": \"s\", \"body\": \"b\", \"clientMessageId\": \"x\"}")]
    [InlineData("{\"topic\": \"NoSuchTopic\", \"subject\": \"s\", \"body\": \"b\", \"clientMessageId\": \"x\"}")]
    [InlineData("")]
    public async Task AnUnreadableBodyIs400InvalidRequestWithoutAStackTrace(string json)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();

        var response = await patient.Http.PostAsync("/api/v1/conversations", new StringContent(json, Encoding.UTF8, "application/json")).Within();
        var text = await response.Content.ReadAsStringAsync().Within();

        await response.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task AMalformedQueryValueIs400InvalidRequest()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        var response = await patient.GetAsync($"/api/v1/conversations/{id}/messages?after=yesterday");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.DoesNotContain("   at ", problem.Detail);
    }

    [Fact]
    public async Task ARefusalCarriesItsCodeAndASentence()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        var problem = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody(new string('x', 2001), "long")))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageTooLong);

        Assert.Equal("https://cluster.invalid/problems/message_too_long", problem.Type);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task TooManyConversationsInADayIs429WithRetryAfter()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        for (var i = 0; i < 3; i++)
        {
            await Organisation.StartAsync(patient, topic: Topic.Billing);
        }

        var response = await patient.PostAsync("/api/v1/conversations", new StartConversationBody(null, Topic.Billing, "A fourth", "Another question.", "fourth"));
        var problem = await response.ReadProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.ConversationLimit);

        Assert.True(problem.RetryAfterSeconds > 0);
        Assert.Equal(problem.RetryAfterSeconds.ToString(), Assert.Single(response.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task TooManyMessagesIs429WithRetryAfterHeaderAndSeconds()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        for (var i = 0; i < 4; i++)
        {
            await Organisation.SendAsync(patient, id, $"Message {i + 2} of the hour.");
        }

        var response = await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("One too many.", "sixth"));
        var problem = await response.ReadProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);

        Assert.NotNull(problem.RetryAfterSeconds);
        Assert.True(problem.RetryAfterSeconds > 0);
        Assert.Equal(problem.RetryAfterSeconds.ToString(), Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal(TimeSpan.FromSeconds(problem.RetryAfterSeconds.Value), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task APatientWhoseRevokedProxySentNothingIsToldTheySentTheMessagesThemselves()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var proxyId = await _org.ProxyAccountAsync();
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{proxyId}")).ReadAsync<ProxyGrantView>(HttpStatusCode.OK);
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        for (var i = 0; i < 4; i++)
        {
            await Organisation.SendAsync(patient, id, $"Message {i + 2} of the hour.");
        }

        var problem = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("One too many.", "sixth")))
            .ReadProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);

        Assert.StartsWith("You have sent 5 messages in the last hour", problem.Detail, StringComparison.Ordinal);
    }
}
