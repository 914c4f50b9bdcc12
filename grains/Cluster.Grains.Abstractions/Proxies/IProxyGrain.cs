using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Grains.Abstractions.Proxies;

/// <summary>
/// A proxy account: a family member or caregiver whom patients may grant access to. Keyed by the proxy's user id;
/// registered by an administrator, like patients and clinicians. Patients call it before granting; it calls no other grain.
/// </summary>
public interface IProxyGrain : IGrainWithStringKey
{
    Task<Outcome<ProxyView>> RegisterAsync(Actor actor, ProxyProfile profile);

    /// <summary>Whether an administrator registered this account, so a grant to it may be made.</summary>
    Task<bool> IsRegisteredAsync();
}
