using System.Net;
using System.Text.Json;
using Cluster.Api.Account;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Rest;

/// <summary>What answers without a token: the OpenAPI document and, in the embedded profile, development tokens for demo users only.</summary>
public sealed class PublicEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task TheOpenApiDocumentIsServedAndListsTheApi()
    {
        var response = await _org.Anonymous.GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().Within());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/v1/conversations", "/api/v1/conversations/{id}/messages", "/api/v1/sync", "/api/v1/terms/accept", "/api/v1/inbox",
            "/api/v1/out-of-office", "/api/v1/care-teams/{id}/queue", "/api/v1/patients/{patientId}/proxies/{proxyUserId}",
            "/api/v1/admin/care-teams/{id}", "/api/v1/me",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"The OpenAPI document lacks {path}.");
        }

        var operationIds = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .Select(o => o.Value.GetProperty("operationId").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "StartConversation", "AcceptTerms", "GrantProxy", "RevokeProxy", "GetInbox", "SetOutOfOffice", "GetCareTeamQueue", "RegisterPatient", "GetMe" }, operationIds);
    }

    [Fact]
    public async Task ADevelopmentTokenIsIssuedForADemoUserAndWorks()
    {
        var issued = await (await _org.Anonymous.PostAsync("/dev/token", new DevTokenRequest(DemoUsers.Ben.UserId))).ReadAsync<IssuedToken>(HttpStatusCode.OK);
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", issued.AccessToken);

        Assert.Equal(new Me(DemoUsers.Ben.UserId, "patient"), await new RestClient(http).GetOkAsync<Me>("/api/v1/me"));
        Assert.True(issued.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("someone-unknown")]
    [InlineData("")]
    [InlineData(null)]
    public async Task ADevelopmentTokenForAnUnknownUserIs404(string? userId)
    {
        await (await _org.Anonymous.PostAsync("/dev/token", new DevTokenRequest(userId))).ReadProblemAsync(HttpStatusCode.NotFound, "unknown_user");
    }
}
