using Cluster.Testing;

namespace Cluster.Storage.Tests.Fixtures;

/// <summary>Test classes in this collection share one throwaway PostgreSQL server (a fresh database each) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
