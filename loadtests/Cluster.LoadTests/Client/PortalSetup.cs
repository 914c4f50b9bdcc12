using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cluster.LoadTests.Targets;

namespace Cluster.LoadTests.Client;

/// <summary>Users a scenario registers before its load: one care team, its clinicians, patients with the terms accepted.</summary>
public sealed record Organisation(string CareTeamId, IReadOnlyList<string> Clinicians, IReadOnlyList<string> Patients);

/// <summary>
/// Registers a scenario's organisation through the REST API, as an administrator and as each patient would: care team
/// (open around the clock), clinicians, patients, terms accepted, and a first conversation per patient.
/// </summary>
public sealed class PortalSetup(Target target)
{
    private const string AdminId = "loadtest-admin";
    private const int Parallelism = 16;

    /// <summary>
    /// Registers <paramref name="clinicians"/> clinicians in one care team and <paramref name="patients"/> patients. With
    /// <paramref name="assignToClinicians"/>, patient i's primary clinician is clinician i mod n and their medical questions
    /// are assigned to that clinician; otherwise conversations wait in the pool and every member receives them.
    /// </summary>
    public async Task<Organisation> RegisterAsync(string tag, int clinicians, int patients, bool assignToClinicians, CancellationToken cancellationToken)
    {
        // The default topic routing sends medical questions to the "clinical" care team; the run (re)defines its members.
        var careTeam = "clinical";
        var clinicianIds = Enumerable.Range(0, clinicians).Select(i => $"lt-{tag}-clin-{i}").ToList();
        var patientIds = Enumerable.Range(0, patients).Select(i => $"lt-{tag}-pat-{i}").ToList();
        var days = Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString(), _ => "00:00-23:59");
        using var admin = Client(0, AdminId, "admin");
        await SendAsync(admin, HttpMethod.Put, $"/api/v1/admin/care-teams/{careTeam}", new
        {
            name = "Load test " + tag,
            members = clinicianIds,
            hours = new { timeZoneId = "UTC", days },
            holidays = Array.Empty<string>(),
        }, cancellationToken);
        await Parallel.ForEachAsync(clinicianIds, Options(cancellationToken), async (id, ct) =>
            await SendAsync(admin, HttpMethod.Put, $"/api/v1/admin/clinicians/{id}", new
            {
                displayName = "Clinician " + id,
                role = "Physician",
                careTeamIds = new[] { careTeam },
            }, ct));
        await Parallel.ForEachAsync(patientIds.Select((id, i) => (id, i)), Options(cancellationToken), async (patient, ct) =>
        {
            await SendAsync(admin, HttpMethod.Put, $"/api/v1/admin/patients/{patient.id}", new
            {
                displayName = "Patient " + patient.id,
                dateOfBirth = "1980-05-17",
                primaryClinicianId = assignToClinicians ? clinicianIds[patient.i % clinicianIds.Count] : null,
            }, ct);
            using var client = Client(patient.i, patient.id, "patient");
            var terms = await SendAsync(client, HttpMethod.Get, $"/api/v1/terms?patientId={Uri.EscapeDataString(patient.id)}", null, ct);
            await SendAsync(client, HttpMethod.Post, "/api/v1/terms/accept",
                new { patientId = patient.id, version = terms.GetProperty("currentVersion").GetString() }, ct);
        });
        return new Organisation(careTeam, clinicianIds, patientIds);
    }

    /// <summary>Each patient starts one conversation (a medical question routed to the care team); answers the ids by patient.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StartConversationsAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        var conversations = new Dictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(organisation.Patients.Select((id, i) => (id, i)), Options(cancellationToken), async (patient, ct) =>
        {
            using var client = Client(patient.i, patient.id, "patient");
            var started = await SendAsync(client, HttpMethod.Post, "/api/v1/conversations", new
            {
                topic = "MedicalQuestion",
                subject = "Load test",
                body = "Could you look at my refill schedule when you have a moment?",
                clientMessageId = "start-" + patient.id,
            }, ct);
            lock (conversations)
            {
                conversations[patient.id] = started.GetProperty("conversationId").GetString()!;
            }
        });
        return conversations;
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private HttpClient Client(int node, string userId, string role)
    {
        var client = new HttpClient { BaseAddress = target.Node(node), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.Tokens.Mint(userId, role));
        return client;
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode} {response.StatusCode}: {text}");
        }

        return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
