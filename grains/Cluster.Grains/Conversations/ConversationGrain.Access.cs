using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;

namespace Cluster.Grains.Conversations;

public sealed partial class ConversationGrain
{
    private const string What = "conversation";

    /// <summary>Who may do what: the patient, a proxy the patient's grant covers, the assigned clinician or a member of the care team.</summary>
    private async Task<Access> AuthorizeAsync(Actor actor, AccessKind kind)
    {
        if (!State.Started)
        {
            return new Access(Problem.NotFound(What), new CareTeamInfo(false, []));
        }

        var info = await CareTeam(State.CareTeamId).GetInfoAsync();
        var problem = actor.Role switch
        {
            UserRole.Patient => actor.UserId == State.PatientId ? null : Problem.NotFound(What),
            UserRole.Proxy => await ProxyProblemAsync(actor.UserId, kind),
            UserRole.Clinician or UserRole.Staff =>
                actor.UserId == State.AssignedClinicianId || info.Members.Contains(actor.UserId) ? null : Problem.NotFound(What),
            _ => Problem.NotFound(What),
        };
        return new Access(problem, info);
    }

    private async Task<Problem?> ProxyProblemAsync(string proxyUserId, AccessKind kind)
    {
        var problem = await Patient(State.PatientId).CheckAccessAsync(proxyUserId, kind, State.Private);
        return problem is null || problem.Code == ErrorCodes.NotFound ? problem is null ? null : Problem.NotFound(What) : problem;
    }

    /// <summary>Everyone who receives this conversation's events now.</summary>
    private async Task<IReadOnlyCollection<string>> AudienceAsync(CareTeamInfo info, string? actorId = null) =>
        Audience(await Patient(State.PatientId).GetReadersAsync(State.Private), info, actorId);

    /// <summary>
    /// The patient side (patient and permitted proxies) and the care side: the assigned clinician, or, while the
    /// conversation waits in the pool, the pool's members. The actor gets their own events on their other devices.
    /// </summary>
    private HashSet<string> Audience(IEnumerable<string> readers, CareTeamInfo info, string? actorId = null)
    {
        var audience = new HashSet<string>(readers, StringComparer.Ordinal);
        audience.UnionWith(CareSide(info));
        if (actorId is not null)
        {
            audience.Add(actorId);
        }

        return audience;
    }

    private IEnumerable<string> CareSide(CareTeamInfo info) =>
        State.AssignedClinicianId is { } assigned ? [assigned] : info.Members;

    private sealed record Access(Problem? Problem, CareTeamInfo Info);
}
