using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Auditing;
using Cluster.Grains.Hosting;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Clinicians;

public sealed class ClinicianGrain(MessagingRules rules) : Grain<ClinicianState>, IClinicianGrain
{
    private const string Subject = "clinician";
    private const int MaxAutoReplyCharacters = 1000;

    public Task<Outcome<ClinicianView>> RegisterAsync(Actor actor, ClinicianProfile profile)
    {
        if (actor.Role != UserRole.Admin)
        {
            return Outcome.Refused<ClinicianView>(Problem.Forbidden("Only an administrator can register clinicians and staff."));
        }

        if (UserIds.Check(GrainKey, "The clinician's id") is { } invalid)
        {
            return Outcome.Refused<ClinicianView>(invalid);
        }

        if (string.IsNullOrWhiteSpace(profile.DisplayName))
        {
            return Outcome.Refused<ClinicianView>(Problem.Invalid("A clinician needs a display name."));
        }

        State.Profile = profile with { CareTeamIds = profile.CareTeamIds.Distinct().ToList() };
        AuditTrail.Record(Turn, actor, AuditActions.Register, GrainKey);
        return Outcome.Completed(View());
    }

    public Task<Outcome<ClinicianView>> GetAsync(Actor actor) =>
        State.Profile is null || !(actor.IsCareTeam || actor.Role == UserRole.Admin)
            ? Outcome.Refused<ClinicianView>(Problem.NotFound(Subject))
            : Outcome.Completed(View());

    public Task<Outcome<ClinicianView>> SetOutOfOfficeAsync(Actor actor, OutOfOffice? outOfOffice)
    {
        if (State.Profile is null || !IsSelfOrAdmin(actor))
        {
            return Outcome.Refused<ClinicianView>(Problem.NotFound(Subject));
        }

        if (outOfOffice is not null && (outOfOffice.Until <= outOfOffice.From || string.IsNullOrWhiteSpace(outOfOffice.AutoReply)))
        {
            return Outcome.Refused<ClinicianView>(Problem.Invalid("An out-of-office window needs an end after its start and a reply for patients."));
        }

        if (outOfOffice is not null && TextLimitPolicy.CheckBody(outOfOffice.AutoReply, MaxAutoReplyCharacters) is { } violation)
        {
            return Outcome.Refused<ClinicianView>(violation.ToProblem());
        }

        State.OutOfOffice = outOfOffice;
        AuditTrail.Record(Turn, actor, AuditActions.OutOfOffice, GrainKey, detail: outOfOffice is null ? "cleared" : $"{outOfOffice.From:O}/{outOfOffice.Until:O}");
        return Outcome.Completed(View());
    }

    public Task<Outcome<IReadOnlyList<string>>> GetInboxAsync(Actor actor) =>
        State.Profile is null || !IsSelfOrAdmin(actor)
            ? Outcome.Refused<IReadOnlyList<string>>(Problem.NotFound(Subject))
            : Outcome.Completed<IReadOnlyList<string>>(State.AwaitingReply.ToList());

    public Task<Problem?> AdmitAsync(string conversationId, string clientMessageId, DateTimeOffset at)
    {
        if (State.Profile is null)
        {
            return Task.FromResult<Problem?>(Problem.NotFound(Subject));
        }

        var key = conversationId + "/" + clientMessageId;
        if (State.Admissions.Exists(a => a.Key == key))
        {
            return Task.FromResult<Problem?>(null);
        }

        State.Admissions.RemoveAll(a => a.At <= at - rules.CareTeamMessages.LongestWindow);
        if (RateLimitPolicy.Evaluate(State.Admissions.Select(a => a.At), at, rules.CareTeamMessages) is { } violation)
        {
            return Task.FromResult<Problem?>(violation.ToProblem());
        }

        State.Admissions.Add(new ClinicianAdmission(key, at));
        return Task.FromResult<Problem?>(null);
    }

    public Task<ClinicianPresence> GetPresenceAsync(DateTimeOffset at) =>
        Task.FromResult(State.Profile is null
            ? new ClinicianPresence(false, [], null)
            : new ClinicianPresence(true, State.Profile.CareTeamIds, State.OutOfOffice is { } away && away.From <= at && at < away.Until ? away : null));

    public Task TrackAsync(string conversationId, bool awaitingReply)
    {
        var changed = State.AwaitingReply.Remove(conversationId) != awaitingReply;
        if (awaitingReply)
        {
            State.AwaitingReply.Add(conversationId);
        }

        if (changed)
        {
            Turn.Emit(new InboxChanged(GrainKey, conversationId, awaitingReply ? "awaiting-reply" : "answered"), [GrainKey]);
        }

        return Task.CompletedTask;
    }

    private bool IsSelfOrAdmin(Actor actor) => (actor.IsCareTeam && actor.UserId == GrainKey) || actor.Role == UserRole.Admin;

    private ClinicianView View() => new(GrainKey, State.Profile!, State.OutOfOffice, State.AwaitingReply.ToList());
}
