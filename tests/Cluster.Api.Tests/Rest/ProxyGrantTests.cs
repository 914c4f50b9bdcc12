using System.Net;
using System.Text.Json.Nodes;
using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Api.Tests.Rest;

/// <summary>Patients grant family members or caregivers access, and take it back.</summary>
public sealed class ProxyGrantTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task GrantingAnswers201AndTheProxyCanReadThePatientsConversations()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var proxyId = await _org.ProxyAccountAsync();

        var response = await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.Read, null));
        var grant = await response.ReadAsync<ProxyGrantView>(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/patients/{patientId}", response.Headers.Location?.OriginalString);
        Assert.Equal(proxyId, grant.ProxyUserId);
        Assert.True(grant.Active);
        var proxy = _org.ClientFor(proxyId, UserRole.Proxy);
        Assert.Equal([id], (await proxy.GetOkAsync<List<ConversationView>>($"/api/v1/conversations?patientId={patientId}")).Select(c => c.Id));
        Assert.Equal(id, (await proxy.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}")).Id);
        Assert.Contains((await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).Proxies, p => p.ProxyUserId == proxyId && p.Active);
    }

    [Fact]
    public async Task AReadOnlyProxyCannotSendAndASendingProxyWritesOnThePatientsBehalf()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var reader = await GrantAsync(patient, patientId, ProxyScope.Read);
        var writer = await GrantAsync(patient, patientId, ProxyScope.ReadAndSend);

        await (await reader.Client.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("Hello from the reader", "r-1")))
            .ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.ProxyScope);
        await (await writer.Client.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody("Hello from the writer", "w-1")))
            .ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.TermsNotAccepted);
        var terms = await Organisation.AcceptTermsAsync(writer.Client, patientId);
        var sent = await Organisation.SendAsync(writer.Client, id, "Hello from the writer", "w-1");

        Assert.Equal(writer.Id, sent.Message.SenderId);
        Assert.Equal(UserRole.Proxy, sent.Message.SenderRole);
        Assert.Equal(patientId, sent.Message.OnBehalfOf);
        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Proxy));
        Assert.NotNull(terms.AcceptedAt);
    }

    [Fact]
    public async Task RevokingAnswers200WithTheInactiveGrantAndTheProxyLosesAccess()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var proxy = await GrantAsync(patient, patientId, ProxyScope.ReadAndSend);

        var revoked = await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{proxy.Id}")).ReadAsync<ProxyGrantView>(HttpStatusCode.OK);

        Assert.False(revoked.Active);
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal(ErrorCodes.ProxyRevoked, revoked.InactiveReason);
        await (await proxy.Client.GetAsync($"/api/v1/conversations/{id}")).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.ProxyRevoked);
        await (await proxy.Client.GetAsync($"/api/v1/patients/{patientId}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{Organisation.NewId("nobody")}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task OnlyThePatientOrAnAdministratorManagesGrants()
    {
        var patientId = await _org.PatientAsync();
        var (_, stranger) = await _org.PatientWithTermsAsync();
        var proxy = await GrantAsync(_org.Admin, patientId, ProxyScope.Read);
        var body = new GrantProxyBody(await _org.ProxyAccountAsync(), ProxyScope.ReadAndSend, null);

        await (await stranger.PostAsync($"/api/v1/patients/{patientId}/proxies", body)).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await proxy.Client.PostAsync($"/api/v1/patients/{patientId}/proxies", body)).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await stranger.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{proxy.Id}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await _org.Admin.PostAsync($"/api/v1/patients/{patientId}/proxies", body with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1) }))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task AProxyMustNameThePatientWhoseTermsTheyRead()
    {
        var proxy = _org.ClientFor(Organisation.NewId("proxy"), UserRole.Proxy);

        await (await proxy.GetAsync("/api/v1/terms")).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await (await proxy.PostAsync("/api/v1/terms/accept", new AcceptTermsBody(null, "2026-01"))).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    private async Task<(string Id, RestClient Client)> GrantAsync(RestClient grantor, string patientId, ProxyScope scope)
    {
        var proxyId = await _org.ProxyAccountAsync();
        await (await grantor.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, scope, DateTimeOffset.UtcNow.AddDays(30))))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        return (proxyId, _org.ClientFor(proxyId, UserRole.Proxy));
    }
}

/// <summary>A patient record stored before grants were checked, with grants to ids that are not proxy accounts filling the limit.</summary>
public sealed class LegacyProxyGrantTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task LegacyGrantsToIdsWithoutAProxyAccountAreGoneAndTheLimitHasRoomAgain()
    {
        var patientId = Organisation.NewId("legacy");
        string[] notProxies = ["admin", DemoUsers.Alice.UserId, "bad\u0000id", new string('x', 60_000), .. Enumerable.Range(0, 6).Select(i => $"ghost-{i}")];
        await PlantAsync(patientId, notProxies);
        var patient = _org.ClientFor(patientId, UserRole.Patient);
        var proxyId = await _org.ProxyAccountAsync();

        var granted = await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.Read, null));

        await granted.ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        var view = await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}");
        Assert.Equal([proxyId], view.Proxies.Select(p => p.ProxyUserId));
        await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/admin")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    /// <summary>Writes the patient's record as it was stored before grants were checked: no flag on the grants.</summary>
    private async Task PlantAsync(string patientId, IEnumerable<string> grantees)
    {
        var grants = new JsonObject();
        foreach (var grantee in grantees)
        {
            grants[grantee] = new JsonObject
            {
                ["proxyUserId"] = grantee, ["scope"] = "Read", ["grantedAt"] = "2026-01-05T10:00:00+00:00", ["expiresAt"] = null, ["revokedAt"] = null,
            };
        }

        var state = new JsonObject
        {
            ["profile"] = new JsonObject { ["displayName"] = "Pat Legacy", ["dateOfBirth"] = "1975-01-09", ["primaryClinicianId"] = null },
            ["proxies"] = grants,
        };
        var store = factory.Services.GetRequiredService<IRuntimeStore>();
        await store.CommitAsync(new TurnCommit(new GrainId("patient", patientId), null, state.ToJsonString(), [], [], [], null, DateTimeOffset.UtcNow), default);
    }
}
