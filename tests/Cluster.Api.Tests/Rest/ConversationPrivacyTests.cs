using System.Net;
using System.Text.Json.Nodes;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>A conversation someone may not see answers exactly as one that does not exist: nothing reveals that it does.</summary>
public sealed class ConversationPrivacyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    public static TheoryData<string, string> Operations => new()
    {
        { "GET", "" },
        { "GET", "/messages" },
        { "POST", "/messages" },
        { "POST", "/read" },
        { "POST", "/close" },
        { "POST", "/reopen" },
        { "POST", "/claim" },
        { "POST", "/release" },
        { "POST", "/transfer" },
        { "PUT", "/privacy" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnotherPatientsConversationAnswersExactlyLikeAMissingOne(string method, string suffix)
    {
        var (_, owner) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(owner)).ConversationId;
        var (_, other) = await _org.PatientWithTermsAsync();

        await AssertIndistinguishableAsync(other, method, id, suffix);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AClinicianOutsideTheCareTeamSeesNoMoreThanAStranger(string method, string suffix)
    {
        var (_, owner) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(owner)).ConversationId;
        var outsider = _org.ClientFor(await _org.ClinicianAsync(), UserRole.Clinician);

        await AssertIndistinguishableAsync(outsider, method, id, suffix);
    }

    [Fact]
    public async Task AProxyOfAnotherPatientSeesNoMoreThanAStranger()
    {
        var (_, owner) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(owner)).ConversationId;
        var (otherId, other) = await _org.PatientWithTermsAsync();
        var proxyId = await _org.ProxyAccountAsync();
        await (await other.PostAsync($"/api/v1/patients/{otherId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);

        var proxy = _org.ClientFor(proxyId, UserRole.Proxy);
        await AssertIndistinguishableAsync(proxy, "GET", id, "");
        await AssertIndistinguishableAsync(proxy, "POST", id, "/messages");
    }

    [Fact]
    public async Task AnotherPatientsListAndProfileAnswerLikeAMissingPatient()
    {
        var ownerId = await _org.PatientAsync();
        var (_, other) = await _org.PatientWithTermsAsync();
        var missing = Organisation.NewId("patient");

        Assert.Equal(await ProblemOfAsync(other, "GET", $"/api/v1/conversations?patientId={missing}"),
            await ProblemOfAsync(other, "GET", $"/api/v1/conversations?patientId={ownerId}"));
        Assert.Equal(await ProblemOfAsync(other, "GET", $"/api/v1/patients/{missing}"),
            await ProblemOfAsync(other, "GET", $"/api/v1/patients/{ownerId}"));
    }

    [Fact]
    public async Task TheOwnerStillSeesTheConversation()
    {
        var (_, owner) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(owner)).ConversationId;

        Assert.Equal(id, (await owner.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}")).Id);
    }

    private async Task AssertIndistinguishableAsync(RestClient caller, string method, string id, string suffix)
    {
        var missing = await ProblemOfAsync(caller, method, $"/api/v1/conversations/c-{Guid.NewGuid():N}{suffix}");
        var hidden = await ProblemOfAsync(caller, method, $"/api/v1/conversations/{id}{suffix}");

        Assert.Equal(missing, hidden);
        Assert.Contains("\"status\":404", hidden);
    }

    /// <summary>The status, content type and body of a refusal, less the trace id (which differs per request by design).</summary>
    private static async Task<string> ProblemOfAsync(RestClient caller, string method, string path)
    {
        var response = method switch
        {
            "GET" => await caller.GetAsync(path),
            "PUT" => await caller.PutAsync(path, BodyFor(path)!),
            _ => await caller.PostAsync(path, BodyFor(path)),
        };
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync().Within())!.AsObject();
        Assert.True(body.Remove("traceId"), "A problem document carries a traceId.");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {body.ToJsonString()}";
    }

    private static object? BodyFor(string path) => path.Split('?')[0].Split('/')[^1] switch
    {
        "messages" => new SendMessageBody("Hello?", "probe"),
        "read" => new MarkReadBody(1),
        "close" => new CloseBody(null, null),
        "transfer" => new TransferBody("clinical", null),
        "privacy" => new PrivacyBody(true),
        _ => null,
    };
}
