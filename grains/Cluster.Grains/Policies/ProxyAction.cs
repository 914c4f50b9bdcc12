namespace Cluster.Grains.Policies;

/// <summary>What a proxy is trying to do in a conversation.</summary>
public enum ProxyAction
{
    Read,
    Send,
}
