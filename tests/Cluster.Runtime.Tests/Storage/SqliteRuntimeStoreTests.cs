using Cluster.Storage;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Storage;

public sealed class SqliteRuntimeStoreTests : RuntimeStoreConformanceTests
{
    private readonly TempDirectory _directory = new();

    protected override Task<IRuntimeStore> CreateStoreAsync() =>
        Task.FromResult<IRuntimeStore>(new SqlRuntimeStore(new SqliteDialect(), TestNode.SqliteConnectionString(_directory.Path), 10));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
