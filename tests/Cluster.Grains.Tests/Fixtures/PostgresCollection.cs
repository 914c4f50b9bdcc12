using Cluster.Testing;

namespace Cluster.Grains.Tests.Fixtures;

/// <summary>Test classes in this collection share one throwaway PostgreSQL server (a fresh database per test) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
