using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cluster.Api.Auth;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing;
using Cluster.Testing.Hub;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Cluster.Tests.Fixtures;

/// <summary>
/// The fault tests run one class after another (each class has its own cluster: the classes kill nodes and stop
/// servers, and several clusters at once would starve each other of CPU).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}

/// <summary>
/// A real cluster on loopback: a throwaway PostgreSQL (database "cluster") and Redis, and <see cref="NodeCount"/>
/// silo processes configured as scripts/cluster.sh configures them (PostgreSQL storage, Redis backplane, no dev
/// tokens, a signing key generated here). Nodes are numbered from 0; node i is "node-i" on its own port, kept
/// across restarts. Use it as a class fixture (<c>IClassFixture&lt;ClusterFixture&gt;</c>, or a subclass that
/// overrides <see cref="NodeCount"/> or <see cref="Configure"/>) inside <c>[Collection(ClusterCollection.Name)]</c>.
/// Every process is killed in <see cref="DisposeAsync"/>, also when tests fail; every wait is bounded.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const string Issuer = "cluster";
    public const string Audience = "cluster-clients";
    public const string DatabaseName = "cluster";

    /// <summary>How long one REST call of the set-up helpers may take.</summary>
    public static readonly TimeSpan RestTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cluster-nodes-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly JsonWebTokenHandler _tokens = new();
    private readonly HttpClient _http = new() { Timeout = RestTimeout };
    private readonly List<SiloNode> _nodes = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private SymmetricSecurityKey? _key;
    private string? _storageConnectionString;
    private EventHandler? _killOnExit;

    public PostgresServer Postgres { get; } = new();

    public RedisServer Redis { get; } = new();

    /// <summary>The number of nodes the fixture starts; override to change.</summary>
    public virtual int NodeCount => 3;

    /// <summary>The HMAC key every node checks tokens with (48 hex characters, new for each fixture).</summary>
    public string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>The connection string the nodes use (Timeout=3;Command Timeout=5, as scripts/cluster.sh).</summary>
    public string StorageConnectionString => _storageConnectionString ?? throw NotStarted();

    /// <summary>Read access to the cluster database for checks.</summary>
    public ClusterDatabase Database { get; private set; } = null!;

    /// <summary>The settings every node starts with (environment variable names), after <see cref="Configure"/>.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>Limits high enough that a workload of a few hundred messages never meets them; the base of every node's settings.</summary>
    public static IReadOnlyDictionary<string, string> WorkloadSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Messaging__PatientMessagesPerHour"] = "100000",
        ["Messaging__PatientMessagesPerDay"] = "100000",
        ["Messaging__PatientConversationsPerDay"] = "10000",
        ["Messaging__CareTeamMessagesPerMinute"] = "100000",
        ["Api__HubCallsPerSecond"] = "1000",
        ["Api__HubCallBurst"] = "2000",
        // Three nodes, PostgreSQL, Redis and the tests share the machine: keep the nodes' console quiet.
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    public IReadOnlyList<SiloNode> Nodes => _nodes;

    public SiloNode Node(int index) => _nodes[index];

    /// <summary>http://127.0.0.1:{port} of node <paramref name="index"/>.</summary>
    public Uri Url(int index) => _nodes[index].Url;

    /// <summary>The indexes of the nodes whose process is running now.</summary>
    public IReadOnlyList<int> RunningNodes => _nodes.Where(n => n.IsRunning).Select(n => n.Index).ToList();

    public virtual async Task InitializeAsync()
    {
        _killOnExit = (_, _) => _nodes.ForEach(n => n.KillNow());
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
        try
        {
            Directory.CreateDirectory(_directory);
            await Task.WhenAll(Postgres.InitializeAsync(), Redis.InitializeAsync());
            var database = await Postgres.CreateDatabaseAsync(DatabaseName);
            Database = new ClusterDatabase(database.Replace("Pooling=true;", "", StringComparison.Ordinal));
            _storageConnectionString =
                $"Host=127.0.0.1;Port={Postgres.Port};Username=postgres;Database={DatabaseName};Timeout=3;Command Timeout=5;Maximum Pool Size=60";
            _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));

            foreach (var (key, value) in WorkloadSettings)
            {
                _settings[key] = value;
            }

            Configure(_settings);
            for (var i = 0; i < NodeCount; i++)
            {
                var directory = Path.Combine(_directory, "node-" + i.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(directory);
                _nodes.Add(new SiloNode(i, FreePort.Next(), directory));
            }

            // The first node migrates the schema alone; the others then start together.
            await StartNodeAsync(0);
            await Task.WhenAll(Enumerable.Range(1, NodeCount - 1).Select(i => StartNodeAsync(i)));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds or changes node settings (environment variable names such as Messaging__PatientMessagesPerHour) before any node starts.</summary>
    protected virtual void Configure(IDictionary<string, string> settings)
    {
    }

    /// <summary>The full environment node <paramref name="index"/> starts with, <paramref name="overrides"/> applied last.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(int index, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var environment = new Dictionary<string, string>(_settings, StringComparer.Ordinal)
        {
            ["Cluster__NodeId"] = _nodes[index].NodeId,
            ["Cluster__Storage__Provider"] = "PostgreSql",
            ["Cluster__Storage__ConnectionString"] = StorageConnectionString,
            ["Cluster__Backplane__Provider"] = "Redis",
            ["Cluster__Backplane__Redis"] = Redis.ConnectionString,
            ["Auth__DevTokens"] = "false",
            ["Auth__SigningKey"] = SigningKey,
            ["Auth__Issuer"] = Issuer,
            ["Auth__Audience"] = Audience,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Starts node <paramref name="index"/> (which must not be running) and waits until /readyz answers 200.</summary>
    public async Task StartNodeAsync(int index, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var node = _nodes[index];
        node.Start(EnvironmentFor(index, overrides));
        await node.WaitUntilReadyAsync();
    }

    /// <summary>kill -9 of node <paramref name="index"/>; returns once the process is gone.</summary>
    public Task KillNodeAsync(int index) => _nodes[index].KillAsync();

    /// <summary>SIGTERM to node <paramref name="index"/>; answers its exit code once it is gone (bounded).</summary>
    public Task<int> StopNodeAsync(int index) => _nodes[index].StopAsync();

    /// <summary>Kills node <paramref name="index"/> if it runs (kill -9) and starts it again on the same port.</summary>
    public async Task RestartNodeAsync(int index, IReadOnlyDictionary<string, string>? overrides = null)
    {
        await KillNodeAsync(index);
        await StartNodeAsync(index, overrides);
    }

    /// <summary>Starts every node that is not running (a previous test may have killed some) and waits until all are ready.</summary>
    public async Task EnsureAllRunningAsync()
    {
        await Task.WhenAll(_nodes.Where(n => !n.IsRunning).Select(n => StartNodeAsync(n.Index)));
        await Task.WhenAll(_nodes.Select(n => n.WaitUntilReadyAsync()));
    }

    /// <summary>An HS256 access token for the user, as the nodes accept it (sub, role in lower case, name; this cluster's issuer and audience).</summary>
    public string Token(string userId, UserRole role, string? displayName = null, TimeSpan? lifetime = null) =>
        Token(userId, ActorClaims.RoleName(role), displayName, lifetime);

    /// <summary>An HS256 access token naming the role exactly as given (for tokens the nodes should refuse, too).</summary>
    public string Token(string userId, string role, string? displayName = null, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Subject = new ClaimsIdentity(
            [
                new Claim(ActorClaims.Subject, userId),
                new Claim(ActorClaims.Role, role),
                new Claim(ActorClaims.Name, displayName ?? userId),
            ]),
            SigningCredentials = new SigningCredentials(_key ?? throw NotStarted(), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Opens a hub connection (a real WebSocket) to node <paramref name="node"/> as the user.</summary>
    public Task<HubClient> ConnectAsync(int node, string userId, UserRole role, HubClientOptions? options = null) =>
        HubClient.ConnectAsync(Url(node), Token(userId, role), options);

    /// <summary>One REST call to node <paramref name="node"/> as the user; answers the status and the JSON body (Undefined when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(int node, string userId, UserRole role, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Url(node), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId, role));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HubClient.Json);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return (response.StatusCode, default);
        }

        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>As <see cref="SendAsync"/>, failing the test (with the body) unless the status is <paramref name="expected"/>.</summary>
    public async Task<JsonElement> SendCheckedAsync(int node, string userId, UserRole role, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, json) = await SendAsync(node, userId, role, method, path, body);
        Assert.True(status == expected, $"{method} {path} on node-{node} answered {(int)status}, expected {(int)expected}: {json}");
        return json;
    }

    /// <summary>
    /// Registers an organisation through the admin REST endpoints of node <paramref name="node"/>: a care team (by
    /// default "clinical", where medical questions go), its clinicians, patients with the terms accepted, and proxy
    /// accounts each patient grants (ReadAndSend, terms accepted). Ids carry a fresh tag, so several organisations never collide.
    /// </summary>
    public async Task<Organisation> SetUpOrganisationAsync(OrganisationSpec? spec = null, int node = 0)
    {
        spec ??= new OrganisationSpec();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var clinicians = Enumerable.Range(0, spec.Clinicians).Select(i => $"clin-{tag}-{i}").ToList();
        var patients = Enumerable.Range(0, spec.Patients).Select(i => $"pat-{tag}-{i}").ToList();
        var allDays = Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString(), _ => "00:00-23:59");
        await SendCheckedAsync(node, Admin, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/care-teams/{spec.CareTeamId}", new
        {
            name = "Care team " + spec.CareTeamId,
            members = clinicians,
            hours = new { timeZoneId = "UTC", days = allDays },
            holidays = Array.Empty<string>(),
        });
        await ForEachAsync(clinicians, id => SendCheckedAsync(node, Admin, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/clinicians/{id}", new
        {
            displayName = "Clinician " + id,
            role = "Physician",
            careTeamIds = new[] { spec.CareTeamId },
        }));

        var proxies = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await ForEachAsync(patients, async patient =>
        {
            await SendCheckedAsync(node, Admin, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/patients/{patient}", new
            {
                displayName = "Patient " + patient,
                dateOfBirth = "1980-05-17",
                primaryClinicianId = spec.AssignPrimaryClinician && clinicians.Count > 0 ? clinicians[0] : null,
            });
            await AcceptTermsAsync(patient, patient, UserRole.Patient, node);
            var own = new List<string>();
            for (var p = 0; p < spec.ProxiesPerPatient; p++)
            {
                var proxy = $"{patient}-proxy-{p}";
                await SendCheckedAsync(node, Admin, UserRole.Admin, HttpMethod.Put, $"/api/v1/admin/proxies/{proxy}", new { displayName = "Proxy " + proxy });
                await SendCheckedAsync(node, patient, UserRole.Patient, HttpMethod.Post, $"/api/v1/patients/{patient}/proxies",
                    new { proxyUserId = proxy, scope = "ReadAndSend" }, HttpStatusCode.Created);
                await AcceptTermsAsync(patient, proxy, UserRole.Proxy, node);
                own.Add(proxy);
            }

            lock (proxies)
            {
                proxies[patient] = own;
            }
        });

        return new Organisation(spec.CareTeamId, clinicians, patients, proxies);
    }

    /// <summary>Accepts the current terms for the patient, as the patient or one of their proxies.</summary>
    public async Task AcceptTermsAsync(string patientId, string userId, UserRole role, int node = 0)
    {
        var terms = await SendCheckedAsync(node, userId, role, HttpMethod.Get, $"/api/v1/terms?patientId={Uri.EscapeDataString(patientId)}");
        var version = terms.GetProperty("currentVersion").GetString();
        await SendCheckedAsync(node, userId, role, HttpMethod.Post, "/api/v1/terms/accept", new { patientId, version });
    }

    /// <summary>Each patient of the organisation starts one conversation, patient i on node i mod N, one after another; answers the ids by patient.</summary>
    public async Task<Dictionary<string, string>> StartConversationsAsync(Organisation organisation)
    {
        var conversations = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var p = 0; p < organisation.Patients.Count; p++)
        {
            conversations[organisation.Patients[p]] = await StartConversationAsync(organisation.Patients[p], node: p % NodeCount);
        }

        return conversations;
    }

    /// <summary>The patient starts a conversation over REST on node <paramref name="node"/> (its first message is sequence 1); answers its id.</summary>
    public async Task<string> StartConversationAsync(string patientId, int node = 0, string topic = "MedicalQuestion", string? clientMessageId = null)
    {
        var started = await SendCheckedAsync(node, patientId, UserRole.Patient, HttpMethod.Post, "/api/v1/conversations", new
        {
            topic,
            subject = "Question from " + patientId,
            body = "Could you look at my refill schedule when you have a moment?",
            clientMessageId = clientMessageId ?? "start-" + Guid.NewGuid().ToString("N"),
        }, HttpStatusCode.Created);
        return started.GetProperty("conversationId").GetString()!;
    }

    /// <summary>The last lines of every node's output, for failure messages.</summary>
    public string Diagnostics(int linesPerNode = 30) =>
        string.Join("\n", _nodes.Select(n => $"=== {n.NodeId} ({(n.IsRunning ? "running" : "not running")}) ===\n{n.Tail(linesPerNode)}"));

    public virtual async Task DisposeAsync()
    {
        // Processes first (all at once), then the servers they used; each step runs even if an earlier one failed.
        try
        {
            await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
        }
        finally
        {
            try
            {
                await Redis.DisposeAsync();
            }
            finally
            {
                await Postgres.DisposeAsync();
                if (_killOnExit is not null)
                {
                    AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
                }

                _http.Dispose();
                try
                {
                    Directory.Delete(_directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    /// <summary>The administrator the set-up helpers act as.</summary>
    public const string Admin = "admin";

    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> action)
    {
        // A few at a time: enough to be quick, few enough not to contend on the shared care-team grain.
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static InvalidOperationException NotStarted() => new("The cluster fixture has not been initialised.");
}

/// <summary>What <see cref="ClusterFixture.SetUpOrganisationAsync"/> registers.</summary>
public sealed record OrganisationSpec
{
    /// <summary>The care team; "clinical" answers medical questions under the default routing.</summary>
    public string CareTeamId { get; init; } = "clinical";

    public int Clinicians { get; init; } = 2;

    public int Patients { get; init; } = 3;

    /// <summary>Proxies per patient, each granted ReadAndSend with the terms accepted.</summary>
    public int ProxiesPerPatient { get; init; }

    /// <summary>
    /// Give each patient the first clinician as primary clinician (medical questions are then assigned to them).
    /// Off by default: conversations wait in the pool, and every member of the care team receives and may answer them.
    /// </summary>
    public bool AssignPrimaryClinician { get; init; }
}

/// <summary>The users an organisation set-up registered.</summary>
public sealed record Organisation(
    string CareTeamId,
    IReadOnlyList<string> Clinicians,
    IReadOnlyList<string> Patients,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Proxies)
{
    public IReadOnlyList<string> ProxiesOf(string patientId) => Proxies.TryGetValue(patientId, out var proxies) ? proxies : [];
}
