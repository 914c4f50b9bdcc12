using Cluster.Storage;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Testing;

namespace Cluster.Runtime.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRuntimeStoreTests(PostgresServer postgres) : RuntimeStoreConformanceTests
{
    protected override async Task<IRuntimeStore> CreateStoreAsync() =>
        new SqlRuntimeStore(new PostgresDialect(), await postgres.CreateDatabaseAsync(), 10);
}
