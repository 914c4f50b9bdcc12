using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Api.Tests.Realtime;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>User ids have one shape everywhere one is named or created: grants, registrations, care-team members, tokens.</summary>
public sealed class UserIdShapeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    public static TheoryData<string> Malformed => new()
    {
        "proxy\0carol",
        "proxy-\u202Eloras",
        new string('a', 60_000),
        new string('a', 65),
        "",
        "carol moreau",
        "-carol",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AGrantNamingAMalformedProxyUserIdIsInvalidRequestNamingTheField(string proxyUserId)
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync();

        var problem = await (await patient.PostAsync($"/api/v1/patients/{patientId}/proxies", new GrantProxyBody(proxyUserId, ProxyScope.ReadAndSend, null)))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("proxyUserId", problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).Proxies);
    }

    [Theory]
    [InlineData("patients")]
    [InlineData("clinicians")]
    [InlineData("proxies")]
    public async Task RegisteringAnIdOfTheWrongShapeIsInvalidRequestNamingTheId(string kind)
    {
        object body = kind switch
        {
            "patients" => new PatientProfile("Test Patient", new DateOnly(1980, 1, 1)),
            "clinicians" => new ClinicianProfile("Test Clinician", ClinicalRole.Nurse, []),
            _ => new { displayName = "Test Proxy" },
        };

        foreach (var id in new[] { new string('a', 65), "carol%E2%80%AEmoreau", "carol%20moreau", "system" })
        {
            var problem = await (await _org.Admin.PutAsync($"/api/v1/admin/{kind}/{id}", body)).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
            Assert.Contains("id", problem.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APrimaryClinicianIdAndCareTeamMembersOfTheWrongShapeAreInvalidRequestNamingTheField()
    {
        var patient = await (await _org.Admin.PutAsync($"/api/v1/admin/patients/{Organisation.NewId("patient")}",
            new PatientProfile("Test Patient", new DateOnly(1980, 1, 1), "dr-\u202Eesuoh"))).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        var team = await (await _org.Admin.PutAsync($"/api/v1/admin/care-teams/{Organisation.NewId("team")}",
            new CareTeamSettings("Team", ["nurse-joy", "nurse\0joy"], BusinessHours.WeekdaysEightToFive(DemoUsers.TimeZone), []))).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Contains("primaryClinicianId", patient.Detail, StringComparison.Ordinal);
        Assert.Contains("members", team.Detail, StringComparison.Ordinal);
    }

    private static readonly string[] MalformedIds = ["dr-\u202Eesuoh", "dr\0house", "dr house", "-house", "dr-hoüse", new string('a', 65), "system"];

    public static TheoryData<string> MalformedInRequests => new(MalformedIds);

    // A NUL in a path is refused by the server itself, before routing.
    public static TheoryData<string> MalformedInPaths => new(MalformedIds.Where(id => !id.Contains('\0')));

    [Theory]
    [MemberData(nameof(MalformedInPaths))]
    public async Task AUserIdOfTheWrongShapeInAPathOrQueryIsInvalidRequestNamingIt(string id)
    {
        var escaped = Uri.EscapeDataString(id);
        var (patientId, patient) = await _org.PatientWithTermsAsync();
        var proxy = _org.ClientFor(await _org.ProxyAccountAsync(), UserRole.Proxy);
        var clinician = _org.ClientFor(DemoUsers.Physician);

        await AssertNamesAsync("The id in the path", await clinician.GetAsync($"/api/v1/clinicians/{escaped}"));
        await AssertNamesAsync("patientId", await clinician.GetAsync($"/api/v1/patients/{escaped}"));
        await AssertNamesAsync("patientId", await _org.Admin.PostAsync($"/api/v1/patients/{escaped}/proxies", new GrantProxyBody("proxy-carol", ProxyScope.Read, null)));
        await AssertNamesAsync("proxyUserId", await patient.DeleteAsync($"/api/v1/patients/{patientId}/proxies/{escaped}"));
        await AssertNamesAsync("patientId", await proxy.GetAsync($"/api/v1/conversations?patientId={escaped}"));
        await AssertNamesAsync("patientId", await clinician.GetAsync($"/api/v1/conversations?patientId={escaped}"));
        await AssertNamesAsync("patientId", await proxy.GetAsync($"/api/v1/terms?patientId={escaped}"));
    }

    [Theory]
    [MemberData(nameof(MalformedInRequests))]
    public async Task AUserIdOfTheWrongShapeInABodyIsInvalidRequestNamingTheFieldAndChangesNothing(string id)
    {
        var (patientId, patient) = await _org.PatientWithTermsAsync(DemoUsers.Physician.UserId);
        var proxy = _org.ClientFor(await _org.ProxyAccountAsync(), UserRole.Proxy);
        var started = await Organisation.StartAsync(patient);
        var clinician = _org.ClientFor(DemoUsers.Physician);

        await AssertNamesAsync("patientId", await proxy.PostAsync("/api/v1/conversations",
            new StartConversationBody(id, Topic.MedicalQuestion, "Refill", "Could you renew my prescription?", Organisation.NewId("start"))));
        await AssertNamesAsync("patientId", await proxy.PostAsync("/api/v1/terms/accept", new { patientId = id, version = "any" }));
        await AssertNamesAsync("clinicianId", await clinician.PostAsync($"/api/v1/conversations/{started.ConversationId}/transfer", new TransferBody(null, id)));

        var after = await clinician.GetOkAsync<ConversationView>($"/api/v1/conversations/{started.ConversationId}");
        Assert.Equal(DemoUsers.Physician.UserId, after.AssignedClinicianId);
        Assert.Equal([started.ConversationId], (await patient.GetOkAsync<PatientView>($"/api/v1/patients/{patientId}")).ConversationIds);
    }

    private static async Task AssertNamesAsync(string field, HttpResponseMessage response)
    {
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(UserIds.Rule, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("patient-\u202Eecila")]
    [InlineData("patient\0alice")]
    [InlineData("system")]
    [InlineData("patient-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task ATokenWhoseSubjectIsNotAUserIdIsRefused401(string subject)
    {
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubTokens.Mint(userId: subject, role: "patient"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await new RestClient(http).GetAsync("/api/v1/me")).StatusCode);
    }
}
