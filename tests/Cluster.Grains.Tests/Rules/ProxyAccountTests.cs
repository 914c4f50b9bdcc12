using System.Text.Json;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Grains.Auditing;
using Cluster.Grains.Patients;
using Cluster.Grains.Tests.Fixtures;
using Cluster.Runtime.Activation;
using Cluster.Storage;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 12a: access goes only to a proxy account an administrator registered; user ids have one shape wherever an
/// account is created or named.
/// </summary>
public sealed class ProxyAccountTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task OnlyAnAdministratorRegistersAProxyAccount()
    {
        var id = "proxy-" + Guid.NewGuid().ToString("N")[..10];
        var patient = await portal.NewPatientAsync();

        var byPatient = await portal.Grains.GetGrain<IProxyGrain>(id).RegisterAsync(patient, new ProxyProfile("Carol"));
        var registeredBefore = await portal.Grains.GetGrain<IProxyGrain>(id).IsRegisteredAsync();
        var byAdmin = await portal.Grains.GetGrain<IProxyGrain>(id).RegisterAsync(Portal.Admin, new ProxyProfile(" Carol Moreau "));

        Assert.Equal(ErrorCodes.Forbidden, byPatient.Problem?.Code);
        Assert.False(registeredBefore);
        Assert.Equal(new ProxyView(id, new ProxyProfile("Carol Moreau")), byAdmin.Unwrap());
        Assert.True(await portal.Grains.GetGrain<IProxyGrain>(id).IsRegisteredAsync());
    }

    [Theory]
    [InlineData("another patient")]
    [InlineData("clinician")]
    [InlineData("admin")]
    [InlineData("unknown")]
    public async Task AGrantToAnIdWithoutAProxyAccountIsRefusedAndNothingIsStoredAuditedOrDelivered(string who)
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var grantee = who switch
        {
            "another patient" => (await portal.NewPatientAsync()).UserId,
            "clinician" => Portal.Outsider.UserId,
            "admin" => Portal.Admin.UserId,
            _ => "proxy-" + Guid.NewGuid().ToString("N")[..10],
        };

        var refused = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(grantee, ProxyScope.ReadAndSend, null));
        var (conversation, _) = await portal.StartAsync(patient);

        Assert.Equal(ErrorCodes.ProxyNotFound, refused.Problem?.Code);
        Assert.Empty((await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies);
        Assert.DoesNotContain(await portal.AuditAsync(patient.UserId), a => a.Action == AuditActions.Grant);
        Assert.DoesNotContain(await portal.FeedAsync(grantee), e => e.Payload.Contains(conversation, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("proxy\0carol")]
    [InlineData("proxy-\u202Eloras")]
    [InlineData("")]
    public async Task AGrantNamingAMalformedIdIsInvalidAndNamesTheField(string proxyUserId)
    {
        var patient = await portal.NewPatientAsync();

        var refused = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(proxyUserId, ProxyScope.Read, null));
        var long60k = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(new string('p', 60_000), ProxyScope.Read, null));

        Assert.Equal(ErrorCodes.InvalidRequest, refused.Problem?.Code);
        Assert.Contains("proxyUserId", refused.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidRequest, long60k.Problem?.Code);
        Assert.Empty((await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies);
    }

    [Fact]
    public async Task RegistrationsRefuseIdsThatAreNotUserIds()
    {
        var bad = "clerk-\u202Ebob";
        var patient = await portal.Grains.GetGrain<IPatientGrain>(bad).RegisterAsync(Portal.Admin, new PatientProfile("Pat", new DateOnly(1980, 1, 1)));
        var primary = await portal.Grains.GetGrain<IPatientGrain>("patient-" + Guid.NewGuid().ToString("N")[..10])
            .RegisterAsync(Portal.Admin, new PatientProfile("Pat", new DateOnly(1980, 1, 1), bad));
        var clinician = await portal.Grains.GetGrain<IClinicianGrain>(bad).RegisterAsync(Portal.Admin, new ClinicianProfile("Bob", ClinicalRole.Staff, []));
        var proxy = await portal.Grains.GetGrain<IProxyGrain>(bad).RegisterAsync(Portal.Admin, new ProxyProfile("Bob"));
        var team = await portal.CareTeam("team-" + Guid.NewGuid().ToString("N")[..10]).ConfigureAsync(Portal.Admin,
            new CareTeamSettings("Team", [Portal.Clerk.UserId, bad], BusinessHours.WeekdaysEightToFive(Portal.TimeZone), []));

        Assert.All(new Problem?[] { patient.Problem, primary.Problem, clinician.Problem, proxy.Problem, team.Problem }, p => Assert.Equal(ErrorCodes.InvalidRequest, p?.Code));
        Assert.Contains("primaryClinicianId", primary.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("members", team.Problem!.Message, StringComparison.Ordinal);
        Assert.False(await portal.Grains.GetGrain<IProxyGrain>(bad).IsRegisteredAsync());
    }
}

/// <summary>A patient has at most Messaging:MaxActiveProxyGrants active grants, and the record of ended ones stays bounded.</summary>
public sealed class ProxyGrantLimitTests(SmallProxyLimitPortal portal) : IClassFixture<SmallProxyLimitPortal>
{
    private const int Limit = SmallProxyLimitPortal.Limit;

    [Fact]
    public async Task AGrantBeyondTheLimitIsRefusedAndStoresNothing()
    {
        var patient = await portal.NewPatientAsync();
        for (var i = 0; i < Limit; i++)
        {
            await portal.NewProxyAsync(patient, ProxyScope.Read);
        }

        var extra = await portal.NewProxyAccountAsync();
        var refused = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(extra.UserId, ProxyScope.Read, null));

        Assert.Equal(ErrorCodes.ProxyLimit, refused.Problem?.Code);
        Assert.Equal(Limit, (await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies.Count);
        Assert.Equal(Limit, (await portal.AuditAsync(patient.UserId)).Count(a => a.Action == AuditActions.Grant));
    }

    [Fact]
    public async Task ChangingAnActiveGrantsScopeDoesNotCountTwice()
    {
        var patient = await portal.NewPatientAsync();
        var proxies = new List<Actor>();
        for (var i = 0; i < Limit; i++)
        {
            proxies.Add(await portal.NewProxyAsync(patient, ProxyScope.Read));
        }

        var changed = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(proxies[0].UserId, ProxyScope.ReadAndSend, null));

        Assert.Equal(ProxyScope.ReadAndSend, changed.Unwrap().Scope);
        Assert.Equal(Limit, (await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies.Count(p => p.Active));
    }

    [Fact]
    public async Task RevokedAndExpiredGrantsDoNotCount()
    {
        var patient = await portal.NewPatientAsync();
        var revoked = await portal.NewProxyAsync(patient, ProxyScope.Read);
        for (var i = 1; i < Limit; i++)
        {
            await portal.NewProxyAsync(patient, ProxyScope.Read, expiresAt: portal.Clock.GetUtcNow().AddHours(1));
        }

        (await portal.Patient(patient).RevokeProxyAsync(patient, revoked.UserId)).Unwrap();
        await portal.AdvanceAsync(TimeSpan.FromHours(2));
        for (var i = 0; i < Limit; i++)
        {
            await portal.NewProxyAsync(patient, ProxyScope.Read);
        }

        Assert.Equal(Limit, (await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies.Count(p => p.Active));
    }

    [Fact]
    public async Task EndedGrantsBeyondTheLimitAreForgottenOldestFirstWithTheirProxysTerms()
    {
        var patient = await portal.NewPatientAsync();
        var ended = new List<Actor>();
        for (var i = 0; i < Limit + 2; i++)
        {
            var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
            await portal.AdvanceAsync(TimeSpan.FromMinutes(1));
            (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();
            ended.Add(proxy);
        }

        var kept = (await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies;
        (await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(ended[0].UserId, ProxyScope.Read, null))).Unwrap();

        Assert.Equal(ended.TakeLast(Limit).Select(p => p.UserId).Order(StringComparer.Ordinal), kept.Select(p => p.ProxyUserId).Order(StringComparer.Ordinal));
        Assert.False((await portal.Patient(patient).GetTermsAsync(ended[0])).Unwrap().Accepted);
    }
}

/// <summary>
/// Grants stored before grants were checked may name ids that are not proxy accounts (another patient, an administrator,
/// a malformed id): they are removed on the patient's next turn, so they count towards nothing and deliver nothing.
/// </summary>
public sealed class LegacyProxyGrantTests(SmallProxyLimitPortal portal) : IClassFixture<SmallProxyLimitPortal>
{
    private static readonly string[] NotProxyAccounts = ["admin", Portal.Doctor.UserId, "bad\0id", new string('x', 60_000)];

    [Fact]
    public async Task LegacyGrantsToIdsWithoutAProxyAccountAreRemovedAndNoLongerFillTheLimit()
    {
        var otherPatient = await portal.NewPatientAsync();
        var (patient, kept) = await PlantAsync([otherPatient.UserId, .. NotProxyAccounts]);

        var granted = await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest((await portal.NewProxyAccountAsync()).UserId, ProxyScope.Read, null));

        Assert.True(granted.IsOk, granted.Problem?.Message);
        var grants = (await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies;
        Assert.Equal(new[] { kept.UserId, granted.Value!.ProxyUserId }.Order(StringComparer.Ordinal), grants.Select(g => g.ProxyUserId).Order(StringComparer.Ordinal));
        Assert.All(grants, g => Assert.True(g.Active));
    }

    [Fact]
    public async Task LegacyGrantsToIdsWithoutAProxyAccountGiveNoAccessAndReceiveNoPushes()
    {
        var (patient, kept) = await PlantAsync(NotProxyAccounts);
        await portal.AcceptTermsAsync(patient, patient);

        var (id, _) = await portal.StartAsync(patient, topic: Topic.Billing);

        var readers = await portal.Patient(patient).GetReadersAsync(conversationPrivate: false);
        Assert.Equal(new[] { patient.UserId, kept.UserId }.Order(StringComparer.Ordinal), readers.Order(StringComparer.Ordinal));
        foreach (var notProxy in NotProxyAccounts)
        {
            Assert.Equal(ErrorCodes.NotFound, (await portal.Patient(patient).CheckAccessAsync(notProxy, AccessKind.Read, false))?.Code);
        }

        Assert.DoesNotContain(await portal.EventsAsync<ConversationChanged>("admin"), e => e.ConversationId == id);
        Assert.Contains(await portal.EventsAsync<ConversationChanged>(kept.UserId), e => e.ConversationId == id);
    }

    [Fact]
    public async Task RemovingALegacyGrantIsAuditedAsTheSystemsWithoutEchoingAMalformedId()
    {
        var (patient, _) = await PlantAsync(NotProxyAccounts);

        await portal.Patient(patient).GetAsync(patient);

        var removals = (await portal.AuditAsync(patient.UserId)).Where(a => a.Action == AuditActions.Revoke).ToList();
        Assert.Equal(NotProxyAccounts.Length, removals.Count);
        Assert.All(removals, r => Assert.Equal((UserIds.System, ErrorCodes.ProxyNotFound), (r.ActorId, r.Outcome)));
        Assert.Equal(["admin", Portal.Doctor.UserId], removals.Select(r => r.Detail).OfType<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ALegacyGrantToARegisteredProxyAccountStaysAndIsRevocable()
    {
        var (patient, kept) = await PlantAsync([]);

        Assert.Null(await portal.Patient(patient).CheckAccessAsync(kept.UserId, AccessKind.Read, false));
        var revoked = (await portal.Patient(patient).RevokeProxyAsync(patient, kept.UserId)).Unwrap();

        Assert.False(revoked.Active);
        Assert.Equal(ErrorCodes.ProxyRevoked, (await portal.Patient(patient).CheckAccessAsync(kept.UserId, AccessKind.Read, false))?.Code);
    }

    /// <summary>
    /// Writes a patient record as it was stored before grants were checked: a grant to each of <paramref name="grantees"/>
    /// and one to a registered proxy account (returned), for a patient no node has loaded yet.
    /// </summary>
    private async Task<(Actor Patient, Actor Kept)> PlantAsync(IEnumerable<string> grantees)
    {
        var patient = new Actor("patient-" + Guid.NewGuid().ToString("N")[..10], UserRole.Patient);
        var kept = await portal.NewProxyAccountAsync();
        var at = portal.Clock.GetUtcNow().AddDays(-1);
        var state = new PatientState { Profile = new PatientProfile("Pat Legacy", new DateOnly(1975, 1, 9)) };
        foreach (var grantee in grantees.Append(kept.UserId))
        {
            state.Proxies[grantee] = new ProxyGrantRecord(grantee, ProxyScope.Read, at, null, null);
        }

        var json = JsonSerializer.Serialize(state, RuntimeJson.Options);
        await portal.Node.Store.CommitAsync(new TurnCommit(new GrainId("patient", patient.UserId), null, json, [], [], [], null, at), default);
        return (patient, kept);
    }
}
