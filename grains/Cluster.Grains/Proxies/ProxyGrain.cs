using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Proxies;
using Cluster.Grains.Auditing;

namespace Cluster.Grains.Proxies;

public sealed class ProxyGrain : Grain<ProxyState>, IProxyGrain
{
    private const int MaxDisplayName = 200;

    public Task<Outcome<ProxyView>> RegisterAsync(Actor actor, ProxyProfile profile)
    {
        if (actor.Role != UserRole.Admin)
        {
            return Outcome.Refused<ProxyView>(Problem.Forbidden("Only an administrator can register proxy accounts."));
        }

        if (UserIds.Check(GrainKey, "The proxy's id") is { } invalid)
        {
            return Outcome.Refused<ProxyView>(invalid);
        }

        if (string.IsNullOrWhiteSpace(profile.DisplayName) || profile.DisplayName.Length > MaxDisplayName)
        {
            return Outcome.Refused<ProxyView>(Problem.Invalid($"A proxy account needs a display name of at most {MaxDisplayName} characters."));
        }

        State.Profile = profile with { DisplayName = profile.DisplayName.Trim() };
        AuditTrail.Record(Turn, actor, AuditActions.Register, GrainKey);
        return Outcome.Completed(new ProxyView(GrainKey, State.Profile));
    }

    public Task<bool> IsRegisteredAsync() => Task.FromResult(State.Profile is not null);
}
