using System.Net;
using System.Net.Http.Headers;
using Cluster.Api.Auth;
using Cluster.Api.Conversations;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;

namespace Cluster.Api.Tests.Rest;

/// <summary>
/// Fresh people for one test, registered through the admin endpoints with the demo administrator's token, so
/// tests neither share state with each other nor change the demo users'.
/// </summary>
internal sealed class Organisation(ApiFactory factory)
{
    public RestClient Anonymous => new(factory.CreateClient());

    public RestClient Admin => ClientFor(DemoUsers.Admin);

    public RestClient ClientFor(DemoUser user) => ClientFor(user.UserId, user.Role);

    public RestClient ClientFor(string userId, UserRole role)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.TokenFor(userId, role));
        return new RestClient(http);
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async Task<string> PatientAsync(string? primaryClinicianId = null, DateOnly? dateOfBirth = null)
    {
        var id = NewId("patient");
        var profile = new PatientProfile("Test Patient", dateOfBirth ?? new DateOnly(1985, 3, 14), primaryClinicianId);
        await (await Admin.PutAsync($"/api/v1/admin/patients/{id}", profile)).ReadAsync<PatientView>(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A fresh patient who accepted the current terms, and a client acting as them.</summary>
    public async Task<(string Id, RestClient Client)> PatientWithTermsAsync(string? primaryClinicianId = null)
    {
        var id = await PatientAsync(primaryClinicianId);
        var client = ClientFor(id, UserRole.Patient);
        await AcceptTermsAsync(client);
        return (id, client);
    }

    public static async Task<TermsStatus> AcceptTermsAsync(RestClient client, string? patientId = null)
    {
        var query = patientId is null ? "" : $"?patientId={patientId}";
        var terms = await client.GetOkAsync<TermsStatus>($"/api/v1/terms{query}");
        var accepted = await (await client.PostAsync("/api/v1/terms/accept", new { patientId, version = terms.CurrentVersion })).ReadAsync<TermsStatus>(HttpStatusCode.OK);
        Assert.True(accepted.Accepted);
        return accepted;
    }

    /// <summary>A fresh proxy account (PUT /api/v1/admin/proxies/{id}): the only kind of user a patient can grant access to.</summary>
    public async Task<string> ProxyAccountAsync()
    {
        var id = NewId("proxy");
        await (await Admin.PutAsync($"/api/v1/admin/proxies/{id}", new { displayName = "Test Proxy" })).ReadAsync<ProxyView>(HttpStatusCode.OK);
        return id;
    }

    public async Task<string> ClinicianAsync(params string[] careTeamIds)
    {
        var id = NewId("clinician");
        var profile = new ClinicianProfile("Test Clinician", ClinicalRole.Physician, careTeamIds);
        await (await Admin.PutAsync($"/api/v1/admin/clinicians/{id}", profile)).ReadAsync<ClinicianView>(HttpStatusCode.OK);
        return id;
    }

    public async Task<string> CareTeamAsync(params string[] members)
    {
        var id = NewId("team");
        var settings = new CareTeamSettings("Test team", members, BusinessHours.WeekdaysEightToFive(DemoUsers.TimeZone), []);
        await (await Admin.PutAsync($"/api/v1/admin/care-teams/{id}", settings)).ReadAsync<CareTeamView>(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A team and two of its clinicians, registered together.</summary>
    public async Task<(string TeamId, string First, string Second)> TeamOfTwoAsync()
    {
        var first = NewId("clinician");
        var second = NewId("clinician");
        var team = await CareTeamAsync(first, second);
        foreach (var id in new[] { first, second })
        {
            await (await Admin.PutAsync($"/api/v1/admin/clinicians/{id}", new ClinicianProfile("Team Clinician", ClinicalRole.Nurse, [team])))
                .ReadAsync<ClinicianView>(HttpStatusCode.OK);
        }

        return (team, first, second);
    }

    public static async Task<StartedConversation> StartAsync(RestClient client, string? patientId = null, Topic topic = Topic.MedicalQuestion, string? clientMessageId = null)
    {
        var body = new StartConversationBody(patientId, topic, "Question about my results",
            "Could you tell me what my latest cholesterol numbers mean?", clientMessageId ?? NewId("start"));
        return await (await client.PostAsync("/api/v1/conversations", body)).ReadAsync<StartedConversation>(HttpStatusCode.Created);
    }

    public static async Task<MessageSent> SendAsync(RestClient client, string conversationId, string body, string? clientMessageId = null) =>
        await (await client.PostAsync($"/api/v1/conversations/{conversationId}/messages", new SendMessageBody(body, clientMessageId ?? NewId("msg"))))
            .ReadAsync<MessageSent>(HttpStatusCode.Created);
}
