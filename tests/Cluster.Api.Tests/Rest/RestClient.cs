using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Api.Tests.Rest;

/// <summary>An HTTP client acting as one user (or nobody): every call bounded, JSON in the API's shape (camelCase, enums by name).</summary>
internal sealed class RestClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public HttpClient Http => http;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path).Within();

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        (body is null ? http.PostAsync(path, null) : http.PostAsJsonAsync(path, body, Json)).Within();

    public Task<HttpResponseMessage> PutAsync(string path, object body) => http.PutAsJsonAsync(path, body, Json).Within();

    public Task<HttpResponseMessage> DeleteAsync(string path) => http.DeleteAsync(path).Within();

    /// <summary>A GET that must answer 200, read as <typeparamref name="T"/>.</summary>
    public async Task<T> GetOkAsync<T>(string path) => await (await GetAsync(path)).ReadAsync<T>(HttpStatusCode.OK).Within();
}

/// <summary>A problem document as the API writes it.</summary>
internal sealed record ProblemBody(int Status, string Title, string Detail, string Type, string Code, int? RetryAfterSeconds);

internal static class ResponseReading
{
    /// <summary>Asserts the status (showing the body when it differs) and reads the body.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync().Within();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, RestClient.Json) ?? throw new InvalidOperationException("The body was JSON null.");
    }

    /// <summary>Asserts the status and that the body is a problem document with this code.</summary>
    public static async Task<ProblemBody> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var problem = await response.ReadAsync<ProblemBody>(expected).Within();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.Code);
        Assert.Equal((int)expected, problem.Status);
        return problem;
    }
}
