using System.Net;
using System.Text;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Rest;

/// <summary>
/// Bodies are read exactly: enums by their documented names only, each property once, no properties the endpoint does not
/// take; what cannot be read is a problem document naming the field, whatever the reason (shape, size, media type).
/// </summary>
public sealed class StrictInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("\"7\"")]
    [InlineData("\"Appointment, PrescriptionRenewal\"")]
    [InlineData("\"medicalquestion\"")]
    [InlineData("\" Billing\"")]
    [InlineData("null")]
    public async Task ATopicThatIsNotExactlyADocumentedNameIsInvalidRequestNamingTheField(string topic)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();

        var problem = await PostJsonAsync(patient, "/api/v1/conversations",
            $$"""{"topic": {{topic}}, "subject": "Dose", "body": "Is this right?", "clientMessageId": "{{Guid.NewGuid():N}}"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("topic", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("MedicalQuestion", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await ConversationsOfAsync(patient));
    }

    [Fact]
    public async Task AMissingTopicIsInvalidRequestNamingTheFieldAndStartsNothing()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();

        var problem = await PostJsonAsync(patient, "/api/v1/conversations",
            $$"""{"subject": "Dose", "body": "Is this right?", "clientMessageId": "{{Guid.NewGuid():N}}"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("topic", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await ConversationsOfAsync(patient));
    }

    [Theory]
    [InlineData("""{"proxyUserId": "proxy-x", "scope": 1}""", "scope")]
    [InlineData("""{"proxyUserId": "proxy-x", "scope": "Read, ReadAndSend"}""", "scope")]
    [InlineData("""{"proxyUserId": "proxy-x"}""", "scope")]
    public async Task AProxyScopeThatIsNotADocumentedNameIsInvalidRequestNamingTheField(string json, string field)
    {
        var (id, patient) = await _org.PatientWithTermsAsync();

        var problem = await PostJsonAsync(patient, $"/api/v1/patients/{id}/proxies", json)
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"displayName": "Dr. X", "role": 0, "careTeamIds": []}""")]
    [InlineData("""{"displayName": "Dr. X", "role": "Physician, Nurse", "careTeamIds": []}""")]
    [InlineData("""{"displayName": "Dr. X", "careTeamIds": []}""")]
    public async Task AClinicalRoleThatIsNotADocumentedNameIsInvalidRequestNamingTheField(string json)
    {
        var response = await SendJsonAsync(_org.Admin, HttpMethod.Put, $"/api/v1/admin/clinicians/{Organisation.NewId("dr")}", json);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Contains("role", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADuplicatePropertyIsInvalidRequestNamingIt()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();

        var problem = await PostJsonAsync(patient, "/api/v1/conversations",
            $$"""{"topic": "Billing", "subject": "Dose", "body": "Is 5 mg right?", "body": "Is 50 mg right?", "clientMessageId": "{{Guid.NewGuid():N}}"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("body", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("once", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await ConversationsOfAsync(patient));
    }

    [Fact]
    public async Task AnUnknownPropertyIsInvalidRequestNamingIt()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();

        var problem = await PostJsonAsync(patient, "/api/v1/conversations",
            $$"""{"topic": "Billing", "subject": "Dose", "body": "Is 5 mg right?", "urgent": true, "clientMessageId": "{{Guid.NewGuid():N}}"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("urgent", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Cluster.", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\uD800")]
    [InlineData("Hello \\uDC00 doctor")]
    [InlineData("Hello \\uD83D doctor")]
    public async Task ALoneSurrogateEscapedInABodyIsMessageInvalidCharacters(string escaped)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        await PostJsonAsync(patient, $"/api/v1/conversations/{id}/messages", $$"""{"body": "{{escaped}}", "clientMessageId": "m-1"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageInvalidCharacters);
        await PostJsonAsync(patient, "/api/v1/conversations",
            $$"""{"topic": "Billing", "subject": "Bill {{escaped}}", "body": "A question.", "clientMessageId": "{{Guid.NewGuid():N}}"}""")
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageInvalidCharacters);
    }

    [Fact]
    public async Task ALoneSurrogateAsRawBytesInABodyIsMessageInvalidCharacters()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        byte[] json = [.. "{\"body\": \"Hello "u8, 0xED, 0xA0, 0x80, .. " doctor\", \"clientMessageId\": \"m-raw\"}"u8];
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };

        var response = await patient.Http.PostAsync($"/api/v1/conversations/{id}/messages", content).Within();

        await response.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageInvalidCharacters);
    }

    [Fact]
    public async Task ABodyOverTheSizeLimitIs413WithAProblemDocument()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var huge = new string('x', 4 * 1024 * 1024);

        var response = await PostJsonAsync(patient, $"/api/v1/conversations/{id}/messages", $$"""{"body": "{{huge}}", "clientMessageId": "m-huge"}""");

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task ABodyOfAnotherMediaTypeIs415WithAProblemDocument(string mediaType)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        using var content = new StringContent("""{"topic": "Billing", "subject": "s", "body": "b", "clientMessageId": "x"}""", Encoding.UTF8, mediaType);

        var response = await patient.Http.PostAsync("/api/v1/conversations", content).Within();

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullLengthMessageOfFamilyEmojiIsAcceptedOverRest()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var body = string.Concat(Enumerable.Repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 2000));

        var sent = await Organisation.SendAsync(patient, id, body);

        Assert.Equal(body, sent.Message.Body);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(RestClient client, string path, string json) =>
        SendJsonAsync(client, HttpMethod.Post, path, json);

    private static async Task<HttpResponseMessage> SendJsonAsync(RestClient client, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.Http.SendAsync(request).Within();
    }

    private static async Task<List<System.Text.Json.JsonElement>> ConversationsOfAsync(RestClient patient) =>
        await (await patient.GetAsync("/api/v1/conversations")).ReadAsync<List<System.Text.Json.JsonElement>>(HttpStatusCode.OK);
}

file static class PendingResponse
{
    public static async Task<ProblemBody> ReadProblemAsync(this Task<HttpResponseMessage> pending, HttpStatusCode expected, string code) =>
        await (await pending).ReadProblemAsync(expected, code);
}
