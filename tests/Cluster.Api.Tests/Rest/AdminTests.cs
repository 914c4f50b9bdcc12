using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Rest;

/// <summary>Setting up an organisation: only administrators may, and what they set is what the other endpoints show.</summary>
public sealed class AdminTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task AnAdministratorRegistersAPatientAndTheProfileIsServed()
    {
        var id = Organisation.NewId("patient");
        var profile = new PatientProfile("Nora Lindqvist", new DateOnly(1990, 7, 1), DemoUsers.Physician.UserId);

        var registered = await (await _org.Admin.PutAsync($"/api/v1/admin/patients/{id}", profile)).ReadAsync<PatientView>(HttpStatusCode.OK);
        var seenByPatient = await _org.ClientFor(id, UserRole.Patient).GetOkAsync<PatientView>($"/api/v1/patients/{id}");
        var seenByClinician = await _org.ClientFor(DemoUsers.Physician).GetOkAsync<PatientView>($"/api/v1/patients/{id}");

        Assert.Equal(profile, registered.Profile);
        Assert.Equal(profile, seenByPatient.Profile);
        Assert.Equal(id, seenByClinician.PatientId);
        Assert.Empty(seenByPatient.ConversationIds);
    }

    [Fact]
    public async Task AnAdministratorConfiguresACareTeamItsMembersCanSee()
    {
        var (teamId, memberId, _) = await _org.TeamOfTwoAsync();
        var outsider = _org.ClientFor(await _org.ClinicianAsync(), UserRole.Clinician);

        var team = await _org.ClientFor(memberId, UserRole.Clinician).GetOkAsync<CareTeamView>($"/api/v1/care-teams/{teamId}");
        var clinician = await _org.ClientFor(memberId, UserRole.Clinician).GetOkAsync<ClinicianView>($"/api/v1/clinicians/{memberId}");

        Assert.Contains(memberId, team.Settings.Members);
        Assert.Equal(DemoUsers.TimeZone, team.Settings.Hours.TimeZoneId);
        Assert.Equal(5, team.Settings.Hours.Days.Count);
        Assert.Equal([teamId], clinician.Profile.CareTeamIds);
        await (await outsider.GetAsync($"/api/v1/care-teams/{teamId}")).ReadProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task EveryoneButAnAdministratorIsRefused403()
    {
        var patient = new PatientProfile("Not Allowed", new DateOnly(2000, 1, 1));
        var clinician = new ClinicianProfile("Not Allowed", ClinicalRole.Staff, []);
        var team = new CareTeamSettings("Not allowed", [], BusinessHours.WeekdaysEightToFive("UTC"), []);

        foreach (var user in new[] { DemoUsers.Physician, DemoUsers.Clerk, DemoUsers.Alice, DemoUsers.Carol })
        {
            var client = _org.ClientFor(user);
            await (await client.PutAsync($"/api/v1/admin/patients/{Organisation.NewId("p")}", patient)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
            await (await client.PutAsync($"/api/v1/admin/clinicians/{Organisation.NewId("c")}", clinician)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
            await (await client.PutAsync($"/api/v1/admin/care-teams/{Organisation.NewId("t")}", team)).ReadProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }
    }

    [Fact]
    public async Task IncompleteOrInvalidSetupIsRefused400()
    {
        await (await _org.Admin.PutAsync($"/api/v1/admin/care-teams/{Organisation.NewId("t")}", new { name = "No members or hours" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await (await _org.Admin.PutAsync($"/api/v1/admin/clinicians/{Organisation.NewId("c")}", new { displayName = "No teams", role = "Nurse" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await (await _org.Admin.PutAsync($"/api/v1/admin/care-teams/{Organisation.NewId("t")}",
                new CareTeamSettings("Bad zone", [], BusinessHours.WeekdaysEightToFive("Mars/Olympus_Mons"), [])))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await (await _org.Admin.PutAsync($"/api/v1/admin/patients/{Organisation.NewId("p")}", new PatientProfile("Unborn", DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1))))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }
}
