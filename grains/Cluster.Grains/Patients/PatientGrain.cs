using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Grains.Auditing;
using Cluster.Grains.Hosting;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Patients;

public sealed class PatientGrain(MessagingRules rules) : Grain<PatientState>, IPatientGrain
{
    private const string Subject = "patient";
    private static readonly Actor SystemActor = new(UserIds.System, UserRole.System);

    public Task<Outcome<PatientView>> RegisterAsync(Actor actor, PatientProfile profile)
    {
        if (actor.Role != UserRole.Admin)
        {
            return Outcome.Refused<PatientView>(Problem.Forbidden("Only an administrator can register patients."));
        }

        var invalid = UserIds.Check(GrainKey, "The patient's id")
            ?? (profile.PrimaryClinicianId is { } clinician ? UserIds.Check(clinician, "primaryClinicianId") : null);
        if (invalid is not null)
        {
            return Outcome.Refused<PatientView>(invalid);
        }

        if (string.IsNullOrWhiteSpace(profile.DisplayName) || profile.DateOfBirth > DateOnly.FromDateTime(Turn.Now.UtcDateTime) || profile.DateOfBirth.Year < 1900)
        {
            return Outcome.Refused<PatientView>(Problem.Invalid("A patient needs a display name and a date of birth in the past."));
        }

        State.Profile = profile;
        AuditTrail.Record(Turn, actor, AuditActions.Register, GrainKey);
        return Outcome.Completed(View());
    }

    public async Task<Outcome<PatientView>> GetAsync(Actor actor)
    {
        await ConfirmGrantsAsync();
        return State.Profile is null || !await MayViewAsync(actor) ? Problem.NotFound(Subject) : Outcome.Ok(View());
    }

    public async Task<Outcome<TermsStatus>> GetTermsAsync(Actor actor)
    {
        await ConfirmGrantsAsync();
        return State.Profile is null || !ActsFor(actor) ? Problem.NotFound(Subject) : Outcome.Ok(TermsOf(actor.UserId));
    }

    public async Task<Outcome<TermsStatus>> AcceptTermsAsync(Actor actor, string version)
    {
        await ConfirmGrantsAsync();
        if (State.Profile is null || !ActsFor(actor))
        {
            return Problem.NotFound(Subject);
        }

        if (version != rules.Options.Terms.Version)
        {
            return new Problem(ErrorCodes.TermsVersionMismatch,
                $"The messaging terms have changed. Please read the current version ({rules.Options.Terms.Version}) and accept it.");
        }

        State.Terms[actor.UserId] = new TermsAcceptance(version, Turn.Now);
        AuditTrail.Record(Turn, actor, AuditActions.AcceptTerms, GrainKey, detail: version);
        return Outcome.Ok(TermsOf(actor.UserId));
    }

    public async Task<Outcome<ProxyGrantView>> GrantProxyAsync(Actor actor, GrantProxyRequest request)
    {
        await ConfirmGrantsAsync();
        if (State.Profile is null || !IsPatientOrAdmin(actor))
        {
            return Problem.NotFound(Subject);
        }

        if (UserIds.Check(request.ProxyUserId, "proxyUserId") is { } invalid)
        {
            return invalid;
        }

        if (request.ProxyUserId == GrainKey)
        {
            return Problem.Invalid("Name the family member or caregiver who should get access; it cannot be the patient.");
        }

        if (request.ExpiresAt is { } expires && expires <= Turn.Now)
        {
            return Problem.Invalid("The access end date must be in the future.");
        }

        if (!await GrainFactory.GetGrain<IProxyGrain>(request.ProxyUserId).IsRegisteredAsync())
        {
            return new Problem(ErrorCodes.ProxyNotFound,
                "There is no proxy account with this id. Access can only be given to a family member or caregiver who has a proxy account; " +
                "please ask the clinic to set one up for them.");
        }

        if (ActiveGrants().Count(g => g.ProxyUserId != request.ProxyUserId) >= rules.Options.MaxActiveProxyGrants)
        {
            return new Problem(ErrorCodes.ProxyLimit,
                $"{Quantity.Of(rules.Options.MaxActiveProxyGrants, "person has", "people have")} access now, the most allowed. " +
                "End someone's access before giving it to someone else.");
        }

        var grant = new ProxyGrantRecord(request.ProxyUserId, request.Scope, Turn.Now, request.ExpiresAt, null, AccountConfirmed: true);
        State.Proxies[request.ProxyUserId] = grant;
        ForgetOldGrants();
        AuditTrail.Record(Turn, actor, AuditActions.Grant, GrainKey, detail: $"{request.ProxyUserId}:{request.Scope}");
        return Outcome.Ok(ViewOf(grant));
    }

    public async Task<Outcome<ProxyGrantView>> RevokeProxyAsync(Actor actor, string proxyUserId)
    {
        await ConfirmGrantsAsync();
        if (State.Profile is null || !IsPatientOrAdmin(actor))
        {
            return Problem.NotFound(Subject);
        }

        if (!State.Proxies.TryGetValue(proxyUserId, out var grant))
        {
            return Problem.NotFound("proxy grant");
        }

        grant = grant with { RevokedAt = grant.RevokedAt ?? Turn.Now };
        State.Proxies[proxyUserId] = grant;
        var view = ViewOf(grant);
        ForgetOldGrants();
        AuditTrail.Record(Turn, actor, AuditActions.Revoke, GrainKey, detail: proxyUserId);
        return Outcome.Ok(view);
    }

    /// <summary>
    /// Grants stored before grants were checked may name someone who is not a proxy account, or a malformed id that no
    /// request can name to revoke. Each such grant is checked once, before anything reads the grants: kept (and marked)
    /// when the id is a registered proxy account, otherwise removed with its terms and audited as the system's
    /// revocation (a malformed id is not echoed). So it never counts towards the limit and never delivers.
    /// </summary>
    private async Task ConfirmGrantsAsync()
    {
        foreach (var (proxyUserId, grant) in State.Proxies.Where(p => !p.Value.AccountConfirmed).ToList())
        {
            var wellFormed = UserIds.IsValid(proxyUserId) && proxyUserId == grant.ProxyUserId;
            if (wellFormed && await GrainFactory.GetGrain<IProxyGrain>(proxyUserId).IsRegisteredAsync())
            {
                State.Proxies[proxyUserId] = grant with { AccountConfirmed = true };
                continue;
            }

            State.Proxies.Remove(proxyUserId);
            State.Terms.Remove(proxyUserId);
            AuditTrail.Record(Turn, SystemActor, AuditActions.Revoke, GrainKey, ErrorCodes.ProxyNotFound, wellFormed ? proxyUserId : null);
        }
    }

    private IEnumerable<ProxyGrantRecord> ActiveGrants() =>
        State.Proxies.Values.Where(g => AccessProblem(g.ProxyUserId, AccessKind.Read, conversationPrivate: false) is null);

    /// <summary>
    /// Keeps the record bounded: of the grants that ended (revoked, expired, ended at 18) only the most recent, as many
    /// as the active limit, are kept; the audit trail keeps the full history. A forgotten proxy's terms go with the grant.
    /// </summary>
    private void ForgetOldGrants()
    {
        var ended = State.Proxies.Values.Where(g => AccessProblem(g.ProxyUserId, AccessKind.Read, conversationPrivate: false) is not null)
            .OrderByDescending(g => g.RevokedAt ?? g.ExpiresAt ?? g.GrantedAt).ThenByDescending(g => g.GrantedAt)
            .Skip(rules.Options.MaxActiveProxyGrants).ToList();
        foreach (var grant in ended)
        {
            State.Proxies.Remove(grant.ProxyUserId);
            State.Terms.Remove(grant.ProxyUserId);
        }
    }

    public async Task<Outcome<IReadOnlyList<string>>> ListConversationsAsync(Actor actor)
    {
        await ConfirmGrantsAsync();
        return State.Profile is null || !await MayViewAsync(actor) ? Problem.NotFound(Subject) : Outcome.Ok<IReadOnlyList<string>>(State.Conversations.ToList());
    }

    public async Task<Admission> AdmitAsync(AdmissionRequest request)
    {
        await ConfirmGrantsAsync();
        var problem = State.Profile is null ? Problem.NotFound(Subject) : AccessProblem(request.Actor.UserId, AccessKind.Send, request.ConversationPrivate);
        problem ??= TermsOf(request.Actor.UserId).Accepted ? null : new Problem(ErrorCodes.TermsNotAccepted,
            "Before you send a message, please read and accept the messaging terms: messages are for non-urgent questions, " +
            "replies can take up to 2 business days, and in an emergency you should call 911.");
        if (problem is not null)
        {
            return new Admission(problem, []);
        }

        // Client message ids are unique per sender: the patient and a proxy using the same one send two messages, each counted.
        var key = request.ConversationId + "/" + request.Actor.UserId + "/" + request.ClientMessageId;
        if (State.Admissions.Exists(a => a.Key == key))
        {
            return Admitted(request);
        }

        var horizon = TimeSpan.FromTicks(Math.Max(rules.PatientMessages.LongestWindow.Ticks, rules.ConversationStarts.LongestWindow.Ticks));
        State.Admissions.RemoveAll(a => a.At <= request.At - horizon);
        var voice = SharedVoiceFor(request.Actor);
        var violation = RateLimitPolicy.Evaluate(History(State.Admissions, request.Actor), request.At, rules.PatientMessages, voice);
        if (violation is null && request.StartsConversation)
        {
            violation = RateLimitPolicy.Evaluate(History(State.Admissions.Where(a => a.StartsConversation), request.Actor), request.At, rules.ConversationStarts, voice);
        }

        if (violation is not null)
        {
            return new Admission(violation.ToProblem(), []);
        }

        State.Admissions.Add(new AdmissionRecord(key, request.At, request.StartsConversation, request.Actor.UserId));
        if (request.CareTeamId is { } team && !State.CareTeams.Contains(team))
        {
            State.CareTeams.Add(team);
        }

        if (request.StartsConversation && !State.Conversations.Contains(request.ConversationId))
        {
            State.Conversations.Add(request.ConversationId);
        }

        return Admitted(request);
    }

    // The windows count everyone acting for the patient: a refusal says "together" when someone else's messages are in
    // the full window, whether or not that person still has access; a sender who filled it alone is told so.
    private RateLimitVoice SharedVoiceFor(Actor actor) =>
        actor.UserId != GrainKey ? RateLimitVoice.ProxyForPatient : RateLimitVoice.PatientWithProxies;

    private static IEnumerable<RateLimitEvent> History(IEnumerable<AdmissionRecord> admissions, Actor actor) =>
        admissions.Select(a => new RateLimitEvent(a.At, ByActor: a.SenderId == actor.UserId));

    private Admission Admitted(AdmissionRequest request) =>
        new(null, Readers(request.ConversationPrivate), State.Profile!.PrimaryClinicianId);

    public async Task<Problem?> CheckAccessAsync(string userId, AccessKind kind, bool conversationPrivate)
    {
        await ConfirmGrantsAsync();
        return State.Profile is null ? Problem.NotFound(Subject) : AccessProblem(userId, kind, conversationPrivate);
    }

    public async Task<IReadOnlyList<string>> GetReadersAsync(bool conversationPrivate)
    {
        await ConfirmGrantsAsync();
        return State.Profile is null ? [] : Readers(conversationPrivate);
    }

    private IReadOnlyList<string> Readers(bool conversationPrivate) =>
        [GrainKey, .. State.Proxies.Keys.Where(proxy => UserIds.IsValid(proxy) && AccessProblem(proxy, AccessKind.Read, conversationPrivate) is null)];

    private Problem? AccessProblem(string userId, AccessKind kind, bool conversationPrivate)
    {
        if (userId == GrainKey)
        {
            return null;
        }

        if (!State.Proxies.TryGetValue(userId, out var grant) || !grant.AccountConfirmed)
        {
            return Problem.NotFound(Subject);
        }

        var decision = ProxyAccessPolicy.Decide(State.Profile!.DateOfBirth, Turn.Now, ToPolicy(grant), conversationPrivate,
            kind == AccessKind.Send ? ProxyAction.Send : ProxyAction.Read, rules.Options.MinorPrivacyAge, rules.Options.AdultAge);
        return decision.Allowed ? null : decision.Violation!.ToProblem();
    }

    private bool ActsFor(Actor actor) =>
        actor.Role switch
        {
            UserRole.Patient => actor.UserId == GrainKey,
            UserRole.Proxy => AccessProblem(actor.UserId, AccessKind.Read, conversationPrivate: false) is null,
            _ => false,
        };

    /// <summary>The patient, their proxies, administrators, their own clinician, and members of care teams they wrote to.</summary>
    private async Task<bool> MayViewAsync(Actor actor)
    {
        if (ActsFor(actor) || actor.Role == UserRole.Admin)
        {
            return true;
        }

        if (!actor.IsCareTeam)
        {
            return false;
        }

        if (State.Profile!.PrimaryClinicianId == actor.UserId)
        {
            return true;
        }

        foreach (var team in State.CareTeams)
        {
            if ((await GrainFactory.GetGrain<ICareTeamGrain>(team).GetInfoAsync()).Members.Contains(actor.UserId))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPatientOrAdmin(Actor actor) => (actor.Role == UserRole.Patient && actor.UserId == GrainKey) || actor.Role == UserRole.Admin;

    private TermsStatus TermsOf(string userId)
    {
        var accepted = State.Terms.GetValueOrDefault(userId);
        return new TermsStatus(rules.Options.Terms.Version, rules.Options.Terms.Text, accepted?.Version, accepted?.At);
    }

    private PatientView View() => new(GrainKey, State.Profile!, ProxyAccessPolicy.Age(State.Profile!.DateOfBirth, DateOnly.FromDateTime(Turn.Now.UtcDateTime)),
        State.Proxies.Values.Select(ViewOf).ToList(), State.Conversations.ToList());

    private ProxyGrantView ViewOf(ProxyGrantRecord grant)
    {
        var problem = AccessProblem(grant.ProxyUserId, AccessKind.Read, conversationPrivate: false);
        return new ProxyGrantView(grant.ProxyUserId, grant.Scope, grant.GrantedAt, grant.ExpiresAt, grant.RevokedAt, problem is null, problem?.Code);
    }

    private static ProxyGrant ToPolicy(ProxyGrantRecord grant) =>
        new(grant.ProxyUserId, grant.Scope, grant.GrantedAt, grant.ExpiresAt, grant.RevokedAt);
}
