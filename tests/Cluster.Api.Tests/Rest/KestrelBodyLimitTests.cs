using System.Net;
using System.Text;
using Cluster.Api.Hosting;
using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Rest;

/// <summary>
/// The body limit on a real Kestrel server: a body sent in chunks has no Content-Length, so the limit is only reached while it
/// is read, and the answer must still be the problem document every other refusal is.
/// </summary>
public sealed class KestrelBodyLimitTests(KestrelApi api) : IClassFixture<KestrelApi>
{
    private static readonly int Limit = new ApiOptions().RequestBodyBytes(new MessageCaps());
    private readonly Organisation _org = new(api.Factory);

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_with_a_problem_document()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        using var response = await SendChunkedAsync(patient, $"/api/v1/conversations/{id}/messages", MessageOfBytes(Limit + 4096));

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Contains(Limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), problem.Detail, StringComparison.Ordinal);
        // Nothing was stored: the next message follows the conversation's first.
        Assert.Equal(2, (await Organisation.SendAsync(patient, id, "Still here?")).Message.Sequence);
    }

    [Fact]
    public async Task A_body_whose_length_is_over_the_limit_is_413_with_a_problem_document()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        using var content = new StringContent(MessageOfBytes(Limit + 4096), Encoding.UTF8, "application/json");

        using var response = await patient.Http.PostAsync($"/api/v1/conversations/{id}/messages", content).Within();

        await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_is_taken()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        using var response = await SendChunkedAsync(patient, $"/api/v1/conversations/{id}/messages",
            """{"body": "Sent in chunks.", "clientMessageId": "m-chunked"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    // A JSON message body of about this many bytes.
    private static string MessageOfBytes(int bytes) => $$"""{"body": "{{new string('x', bytes)}}", "clientMessageId": "m-large"}""";

    // Transfer-Encoding: chunked and no Content-Length, as a client streaming a body it has not measured sends it.
    private static async Task<HttpResponseMessage> SendChunkedAsync(RestClient client, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;
        return await client.Http.SendAsync(request).Within();
    }
}
