using System.Net;
using Cluster.Api.Clinicians;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>
/// Patients cannot do the care team's work. On their own conversation a care-team operation is 403 forbidden (they
/// may see it, so a clear refusal); a queue or inbox is not theirs to see at all, so it is 404 as if it did not exist.
/// </summary>
public sealed class PatientRoleLimitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData("claim")]
    [InlineData("release")]
    [InlineData("close")]
    [InlineData("reopen")]
    [InlineData("transfer")]
    public async Task APatientCallingACareTeamOperationOnTheirOwnConversationIsForbidden(string action)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        object? body = action switch
        {
            "close" => new CloseBody("Closing my own", "c-1"),
            "transfer" => new TransferBody("billing", null),
            _ => null,
        };

        await (await patient.PostAsync($"/api/v1/conversations/{id}/{action}", body)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        var after = await patient.GetOkAsync<ConversationView>($"/api/v1/conversations/{id}");
        Assert.Equal(ConversationStatus.AwaitingCareTeam, after.Status);
        Assert.Equal("clinical", after.CareTeamId);
        Assert.Null(after.AssignedClinicianId);
    }

    [Fact]
    public async Task AProxyCallingACareTeamOperationIsForbiddenToo()
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var proxyId = await _org.ProxyAccountAsync();
        await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyId, ProxyScope.ReadAndSend, null)))
            .ReadAsync<ProxyGrantView>(HttpStatusCode.Created);

        await (await _org.ClientFor(proxyId, UserRole.Proxy).PostAsync($"/api/v1/conversations/{id}/claim")).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task APatientAskingForACareTeamQueueGets404()
    {
        var patient = _org.ClientFor(await _org.PatientAsync(), UserRole.Patient);

        await (await patient.GetAsync("/api/v1/care-teams/clinical/queue")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await patient.GetAsync("/api/v1/care-teams/clinical")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task APatientAskingForAnInboxGets404()
    {
        var patient = _org.ClientFor(await _org.PatientAsync(), UserRole.Patient);

        await (await patient.GetAsync("/api/v1/inbox")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task APatientCannotSetOutOfOfficeOrReadAClinician()
    {
        var patient = _org.ClientFor(await _org.PatientAsync(), UserRole.Patient);
        var now = DateTimeOffset.UtcNow;

        await (await patient.PutAsync("/api/v1/out-of-office", new OutOfOfficeBody(now, now.AddDays(1), "Away")))
            .ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await patient.GetAsync($"/api/v1/clinicians/{await _org.ClinicianAsync()}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
