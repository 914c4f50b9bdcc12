using Cluster.Grains.Abstractions.Proxies;

namespace Cluster.Grains.Proxies;

public sealed class ProxyState
{
    public ProxyProfile? Profile { get; set; }
}
