namespace Cluster.Runtime.Backplane;

/// <summary>The one place that names backplane channels.</summary>
public sealed class BackplaneChannels(string prefix)
{
    public string Invalidations { get; } = prefix + "invalidate";

    public string Feed(string userId) => prefix + "feed:" + userId;
}
