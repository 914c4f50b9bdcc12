using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// What the hub tests set up around a connection, all over REST as the portal's apps and an administrator would:
/// fresh patients (so rate limits never collide between tests), terms, proxies, and conversations.
/// </summary>
public sealed class Portal(ApiFactory factory)
{
    public const string Clinician = "dr-house";

    /// <summary>A new adult patient whose primary clinician is dr-house (medical questions are assigned to him), terms accepted.</summary>
    public async Task<string> NewPatientAsync(string? primaryClinicianId = Clinician, bool acceptTerms = true)
    {
        var id = "patient-" + Guid.NewGuid().ToString("N")[..12];
        await SendAsync(DemoUsers.Admin.UserId, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/patients/{id}",
            new PatientProfile("Test " + id, new DateOnly(1980, 5, 17), primaryClinicianId), HttpStatusCode.OK);
        if (acceptTerms)
        {
            await AcceptTermsAsync(id, new Actor(id, UserRole.Patient));
        }

        return id;
    }

    /// <summary>Accepts the current messaging terms (GET /api/v1/terms, POST /api/v1/terms/accept) as the patient or a proxy acting for them.</summary>
    public async Task AcceptTermsAsync(string patientId, Actor actor)
    {
        var terms = await SendAsync(actor.UserId, actor.Role, HttpMethod.Get, $"/api/v1/terms?patientId={patientId}", null, HttpStatusCode.OK);
        var version = terms.GetProperty("currentVersion").GetString();
        var accepted = await SendAsync(actor.UserId, actor.Role, HttpMethod.Post, "/api/v1/terms/accept", new { patientId, version }, HttpStatusCode.OK);
        Assert.Equal(version, accepted.GetProperty("acceptedVersion").GetString());
    }

    /// <summary>A new proxy account the patient grants access to.</summary>
    public async Task<string> NewProxyAsync(string patientId, ProxyScope scope = ProxyScope.ReadAndSend)
    {
        var id = "proxy-" + Guid.NewGuid().ToString("N")[..12];
        await RegisterProxyAsync(id);
        await GrantProxyAsync(patientId, id, scope);
        return id;
    }

    /// <summary>An administrator registers a proxy account (PUT /api/v1/admin/proxies/{id}); only such accounts can be granted access.</summary>
    public Task RegisterProxyAsync(string proxyId) =>
        SendAsync(DemoUsers.Admin.UserId, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/proxies/{proxyId}", new { displayName = "Test " + proxyId }, HttpStatusCode.OK);

    /// <summary>The patient grants the proxy access (POST /api/v1/patients/{id}/proxies).</summary>
    public async Task GrantProxyAsync(string patientId, string proxyId, ProxyScope scope = ProxyScope.ReadAndSend)
    {
        var grant = await SendAsync(patientId, UserRole.Patient, HttpMethod.Post, $"/api/v1/patients/{patientId}/proxies",
            new { proxyUserId = proxyId, scope = scope.ToString() }, HttpStatusCode.Created);
        Assert.True(grant.GetProperty("active").GetBoolean());
    }

    /// <summary>The patient ends the proxy's access (DELETE /api/v1/patients/{id}/proxies/{proxy}).</summary>
    public async Task RevokeProxyAsync(string patientId, string proxyId)
    {
        var grant = await SendAsync(patientId, UserRole.Patient, HttpMethod.Delete, $"/api/v1/patients/{patientId}/proxies/{proxyId}", null, HttpStatusCode.OK);
        Assert.False(grant.GetProperty("active").GetBoolean());
    }

    /// <summary>The patient starts a medical-question conversation (POST /api/v1/conversations); answers its id.</summary>
    public Task<string> StartConversationAsync(string patientId, string body = "Could you look at my refill schedule when you have a moment?") =>
        StartConversationAsync(patientId, Topic.MedicalQuestion, body);

    /// <summary>The patient starts a conversation on the topic (a medical question goes to dr-house); answers its id.</summary>
    public async Task<string> StartConversationAsync(string patientId, Topic topic, string body = "Could you look at my refill schedule when you have a moment?")
    {
        var started = await SendAsync(patientId, UserRole.Patient, HttpMethod.Post, "/api/v1/conversations", new
        {
            topic = topic.ToString(),
            subject = "Refill question",
            body,
            clientMessageId = "start-" + Guid.NewGuid().ToString("N"),
        }, HttpStatusCode.Created);
        if (topic == Topic.MedicalQuestion)
        {
            Assert.Equal(Clinician, started.GetProperty("started").GetProperty("conversation").GetProperty("assignedClinicianId").GetString());
        }

        return started.GetProperty("conversationId").GetString()!;
    }

    /// <summary>A patient's grant request as sent (POST /api/v1/patients/{id}/proxies), whatever it answers.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> TryGrantProxyAsync(string patientId, string proxyId, ProxyScope scope = ProxyScope.ReadAndSend)
    {
        using var http = factory.CreateClient();
        http.Timeout = HubClient.DefaultTimeout;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/patients/{patientId}/proxies", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", factory.TokenFor(patientId, UserRole.Patient));
        request.Content = JsonContent.Create(new { proxyUserId = proxyId, scope = scope.ToString() }, options: HubClient.Json);
        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>The clinician moves the conversation to another care team (POST /api/v1/conversations/{id}/transfer).</summary>
    public Task TransferToTeamAsync(string conversationId, string careTeamId, string clinicianId = Clinician) =>
        SendAsync(clinicianId, UserRole.Clinician, HttpMethod.Post, $"/api/v1/conversations/{conversationId}/transfer", new { careTeamId }, HttpStatusCode.OK);

    /// <summary>The assigned clinician gives the conversation back to its care team's pool (POST /api/v1/conversations/{id}/release).</summary>
    public Task ReleaseAsync(string conversationId, string clinicianId = Clinician) =>
        SendAsync(clinicianId, UserRole.Clinician, HttpMethod.Post, $"/api/v1/conversations/{conversationId}/release", null, HttpStatusCode.OK);

    /// <summary>A member of the care team takes the conversation from the pool (POST /api/v1/conversations/{id}/claim).</summary>
    public Task ClaimAsync(string conversationId, string clinicianId) =>
        SendAsync(clinicianId, UserRole.Clinician, HttpMethod.Post, $"/api/v1/conversations/{conversationId}/claim", null, HttpStatusCode.OK);

    public Task<HubClient> ConnectAsync(string userId, UserRole role, HubClientOptions? options = null) =>
        HubClient.ConnectAsync(factory.Server, factory.TokenFor(userId, role), options);

    public Task<HubClient> ConnectClinicianAsync(HubClientOptions? options = null) => ConnectAsync(Clinician, UserRole.Clinician, options);

    public Task<HubClient> ConnectPatientAsync(string patientId, HubClientOptions? options = null) => ConnectAsync(patientId, UserRole.Patient, options);

    private async Task<JsonElement> SendAsync(string userId, UserRole role, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var http = factory.CreateClient();
        http.Timeout = HubClient.DefaultTimeout;
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", factory.TokenFor(userId, role));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HubClient.Json);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
