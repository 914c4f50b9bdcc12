using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;

namespace Cluster.Api.Tests.Rest;

/// <summary>Proxy accounts are registered by an administrator; a patient can grant access to such an account and to no one else, and to a bounded number of them.</summary>
public sealed class ProxyAccountTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task AnAdministratorRegistersAProxyAccountAndNobodyElseCan()
    {
        var id = Organisation.NewId("proxy");
        var (_, patient) = await _org.PatientWithTermsAsync();

        await (await patient.PutAsync($"/api/v1/admin/proxies/{id}", new { displayName = "Carol" })).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await _org.Admin.PutAsync($"/api/v1/admin/proxies/{id}", new { displayName = " " })).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        var view = await (await _org.Admin.PutAsync($"/api/v1/admin/proxies/{id}", new { displayName = "Carol Moreau" })).ReadAsync<ProxyView>(HttpStatusCode.OK);

        Assert.Equal(id, view.ProxyId);
        Assert.Equal("Carol Moreau", view.Profile.DisplayName);
    }

    [Theory]
    [InlineData("another patient")]
    [InlineData("clinician")]
    [InlineData("staff")]
    [InlineData("admin")]
    [InlineData("unknown")]
    public async Task AGrantToAnyoneButARegisteredProxyAccountIsRefusedAndNothingIsStored(string who)
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var grantee = who switch
        {
            "another patient" => await _org.PatientAsync(),
            "clinician" => DemoUsers.Physician.UserId,
            "staff" => DemoUsers.Clerk.UserId,
            "admin" => DemoUsers.Admin.UserId,
            _ => Organisation.NewId("proxy"),
        };

        var problem = await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(grantee, ProxyScope.ReadAndSend, null)))
            .ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.ProxyNotFound);
        await (await _org.Admin.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(grantee, ProxyScope.Read, null)))
            .ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.ProxyNotFound);

        Assert.Contains("proxy account", problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).Proxies);
    }

    [Fact]
    public async Task TheEleventhActiveGrantIsRefusedWhileRegrantsAndRevokedGrantsDoNotCount()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var proxies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            proxies.Add(await GrantNewAsync(patient, patientId));
        }

        var eleventh = await _org.ProxyAccountAsync();
        var refused = await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(eleventh, ProxyScope.Read, null)))
            .ReadProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ProxyLimit);
        Assert.Contains("10", refused.Detail, StringComparison.Ordinal);
        var regrant = await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxies[0], ProxyScope.Read, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        Assert.Equal(ProxyScope.Read, regrant.Scope);

        await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{proxies[1]}")).ReadAsync<ProxyGrantView>(HttpStatusCode.OK);
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(eleventh, ProxyScope.Read, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);

        var grants = (await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).Proxies;
        Assert.Equal(10, grants.Count(g => g.Active));
        Assert.Single(grants, g => g.ProxyUserId == proxies[0]);
    }

    [Fact]
    public async Task RevokedGrantsBeyondTheLimitAreForgottenOldestFirstSoThePatientRecordStaysBounded()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var revoked = new List<string>();
        for (var i = 0; i < 14; i++)
        {
            var proxy = await GrantNewAsync(patient, patientId);
            await (await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{proxy}")).ReadAsync<ProxyGrantView>(HttpStatusCode.OK);
            revoked.Add(proxy);
        }

        var kept = (await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).Proxies;

        Assert.Equal(revoked.TakeLast(10).Order(StringComparer.Ordinal), kept.Select(g => g.ProxyUserId).Order(StringComparer.Ordinal));
        Assert.All(kept, g => Assert.False(g.Active));
        var forgotten = _org.ClientFor(revoked[0], UserRole.Proxy);
        await (await forgotten.GetAsync($"/api/v1/patients/{patientId}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    private async Task<string> GrantNewAsync(RestClient patient, string patientId)
    {
        var proxy = await _org.ProxyAccountAsync();
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxy, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);
        return proxy;
    }
}
