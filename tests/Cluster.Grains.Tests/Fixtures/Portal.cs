using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Grains.Auditing;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Testing.Nodes;

namespace Cluster.Grains.Tests.Fixtures;

/// <summary>
/// A node running the portal's grains over SQLite, with a manual clock and seeded care teams. Every test makes
/// its own patients and conversations (fresh ids), so tests share the node without sharing data.
/// Not sealed: a derived fixture may fill <see cref="Settings"/> in its constructor (before the node starts).
/// </summary>
public class Portal : IAsyncLifetime
{
    /// <summary>Monday 2 March 2026, 10:00 in New York (15:00 UTC): inside business hours.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    public const string TimeZone = "America/New_York";
    public const string Clinical = "clinical";
    public const string Nurses = "nurses";
    public const string FrontDesk = "front-desk";
    public const string Billing = "billing";

    public static readonly Actor Admin = new("admin", UserRole.Admin);
    public static readonly Actor Doctor = new("dr-house", UserRole.Clinician);
    public static readonly Actor OtherDoctor = new("dr-quinn", UserRole.Clinician);
    public static readonly Actor Nurse = new("nurse-joy", UserRole.Clinician);
    public static readonly Actor SecondNurse = new("nurse-ratched", UserRole.Clinician);
    public static readonly Actor Clerk = new("clerk-bob", UserRole.Staff);
    public static readonly Actor Outsider = new("dr-outside", UserRole.Clinician);

    private readonly TempDirectory _directory = new();
    private TestNode? _node;

    public ManualClock Clock { get; } = new(Start);

    public TestNode Node => _node ?? throw new InvalidOperationException("The portal has not started.");

    public IGrainFactory Grains => Node.Grains;

    /// <summary>Overrides of the "Messaging" section for this portal; set before it starts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        _node = await PortalSetup.StartNodeAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path), Clock, Settings);
        await PortalSetup.SeedAsync(Grains);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        _directory.Dispose();
    }

    public IConversationGrain Conversation(string id) => Grains.GetGrain<IConversationGrain>(id);

    public IPatientGrain Patient(Actor patient) => Grains.GetGrain<IPatientGrain>(patient.UserId);

    public ICareTeamGrain CareTeam(string id) => Grains.GetGrain<ICareTeamGrain>(id);

    public IClinicianGrain Clinician(Actor clinician) => Grains.GetGrain<IClinicianGrain>(clinician.UserId);

    /// <summary>A registered adult patient who accepted the terms, optionally with a primary clinician.</summary>
    public Task<Actor> NewPatientAsync(string? primaryClinicianId = null, DateOnly? dateOfBirth = null, bool acceptTerms = true) =>
        PortalSetup.NewPatientAsync(Grains, primaryClinicianId, dateOfBirth, acceptTerms);

    /// <summary>A registered proxy account without any grant yet.</summary>
    public Task<Actor> NewProxyAccountAsync() => PortalSetup.NewProxyAccountAsync(Grains);

    public IProxyGrain Proxy(Actor proxy) => Grains.GetGrain<IProxyGrain>(proxy.UserId);

    public Task AcceptTermsAsync(Actor patient, Actor actor) => PortalSetup.AcceptTermsAsync(Grains, patient, actor);

    /// <summary>A new proxy account with a grant from the patient; the proxy has accepted the terms.</summary>
    public async Task<Actor> NewProxyAsync(Actor patient, ProxyScope scope, DateTimeOffset? expiresAt = null)
    {
        var proxy = await NewProxyAccountAsync();
        (await Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(proxy.UserId, scope, expiresAt))).Unwrap();
        await AcceptTermsAsync(patient, proxy);
        return proxy;
    }

    public async Task<(string Id, ConversationStarted Started)> StartAsync(
        Actor writer, string? patientId = null, Topic topic = Topic.MedicalQuestion, string body = "I have a question about my blood pressure medication.", bool isPrivate = false)
    {
        var id = NewConversationId();
        var started = await Conversation(id).StartAsync(new StartConversationRequest(writer, patientId ?? writer.UserId, topic, "A question", body, NewClientId(), isPrivate));
        return (id, started.Unwrap());
    }

    public async Task<MessageSent> SendAsync(string conversationId, Actor writer, string body = "Thank you, one more question.") =>
        (await Conversation(conversationId).SendAsync(new SendMessageRequest(writer, body, NewClientId()))).Unwrap();

    public static string NewConversationId() => "conv-" + Guid.NewGuid().ToString("N");

    public static string NewClientId() => Guid.NewGuid().ToString("N");

    /// <summary>The messages as stored, read from the store rather than through the grain.</summary>
    public Task<IReadOnlyList<MessageView>> StoredMessagesAsync(string conversationId) => PortalSetup.StoredMessagesAsync(Node.Store, conversationId);

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string subject) =>
        (await Node.Store.ReadRecentRowsAsync(AuditTrail.Collection, subject, 10_000, default))
            .Select(r => JsonSerializer.Deserialize<AuditEntry>(r.Data, RuntimeJson.Options)!).ToList();

    public async Task<IReadOnlyList<FeedEvent>> FeedAsync(string userId) => (await Node.Feed.ReadAsync(userId, 0, 10_000)).Events;

    /// <summary>The events of one type in a user's feed, deserialised.</summary>
    public async Task<IReadOnlyList<TEvent>> EventsAsync<TEvent>(string userId) =>
        (await FeedAsync(userId)).Where(e => e.Type == typeof(TEvent).Name)
            .Select(e => JsonSerializer.Deserialize<TEvent>(e.Payload, RuntimeJson.Options)!).ToList();

    /// <summary>Moves the clock and delivers every reminder that fell due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        while (await Node.Reminders.PollOnceAsync(default) > 0)
        {
        }
    }
}
