using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Patients;
using Cluster.Api.Tests.Fixtures;
using Cluster.Api.Tests.Realtime;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
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
