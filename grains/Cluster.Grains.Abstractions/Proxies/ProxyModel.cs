namespace Cluster.Grains.Abstractions.Proxies;

/// <summary>A family member or caregiver's account, as an administrator registers it.</summary>
public sealed record ProxyProfile(string DisplayName);

public sealed record ProxyView(string ProxyId, ProxyProfile Profile);
