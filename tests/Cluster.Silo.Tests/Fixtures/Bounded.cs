namespace Cluster.Silo.Tests.Fixtures;

/// <summary>The limits every wait in these tests is held to.</summary>
public static class Bounded
{
    /// <summary>A whole test; generous because a node process starts a .NET runtime and migrates its schema.</summary>
    public const int TestMilliseconds = 120_000;

    /// <summary>One call into an in-process host.</summary>
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(30);
}
