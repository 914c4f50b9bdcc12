namespace Cluster.Grains.Policies;

/// <summary>Whether a proxy may act; when not, the violation with its stable reason code and a sentence for the proxy.</summary>
public sealed record ProxyAccessDecision(PolicyViolation? Violation)
{
    public static ProxyAccessDecision Allow { get; } = new((PolicyViolation?)null);

    public bool Allowed => Violation is null;

    public string? ReasonCode => Violation?.Code;
}
