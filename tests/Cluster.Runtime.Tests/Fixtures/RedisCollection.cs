using Cluster.Testing;

namespace Cluster.Runtime.Tests.Fixtures;

/// <summary>Test classes in this collection share one throwaway redis-server and run one after another, so one may stop it.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
