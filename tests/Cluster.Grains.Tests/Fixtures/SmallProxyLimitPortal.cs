namespace Cluster.Grains.Tests.Fixtures;

/// <summary>A <see cref="Portal"/> whose patients may have only <see cref="Limit"/> active proxy grants, so the limit is quick to reach.</summary>
public sealed class SmallProxyLimitPortal : Portal
{
    public const int Limit = 3;

    public SmallProxyLimitPortal() =>
        Settings["Messaging:MaxActiveProxyGrants"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
