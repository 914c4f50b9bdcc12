using System.Diagnostics;
using System.Net.Sockets;
using Cluster.Grains.Abstractions;
using Cluster.Storage;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Testing;
using Cluster.Testing.Nodes;
using Npgsql;

namespace Cluster.Runtime.Tests.Storage;

/// <summary>The PostgreSQL store while its server is away: fast, retryable failures, and recovery without a restart of the node.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutageTests(PostgresServer postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WhileTheServerIsStoppedCallsFailFastAsUnavailableAndAfterItsRestartTheNextCallsSucceed()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var store = new SqlRuntimeStore(new PostgresDialect(), database + ";Timeout=3", 5);
        await store.MigrateAsync(default);
        var grains = Enumerable.Range(0, 8).Select(i => new GrainId("probe", "g" + i)).ToArray();
        // Fill the pool with several connections, so that several would be broken by the restart.
        await Task.WhenAll(grains.Select(g => store.ReadStateAsync(g, default)));

        try
        {
            await postgres.StopAsync().WaitAsync(Within);
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ReadStateAsync(grains[0], default));
            await Assert.ThrowsAsync<StorageUnavailableException>(() => store.PingAsync(default));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"failing took {clock.Elapsed}");
        }
        finally
        {
            await postgres.StartAsync().WaitAsync(Within);
        }

        // No call after the restart meets a connection the restart broke.
        foreach (var grain in grains)
        {
            await store.ReadStateAsync(grain, default);
        }

        await Task.WhenAll(grains.Select(g => store.ReadStateAsync(g, default)));
    }

    [Fact]
    public async Task AConnectionLevelFailureEmptiesThePoolAndAStatementFailureDoesNot()
    {
        var database = await postgres.CreateDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        var dialect = new PostgresDialect();
        await using var dataSource = (NpgsqlDataSource)dialect.CreateDataSource(database);
        await OpenIdleConnectionsAsync(dataSource, 4);
        Assert.Equal(4, await BackendsAsync(name));

        dialect.OnFailure(dataSource, new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));
        Assert.Equal(4, await BackendsAsync(name));

        dialect.OnFailure(dataSource, new NpgsqlException("Exception while reading from stream", new EndOfStreamException()));
        await Eventually.AssertAsync(async () => await BackendsAsync(name) == 0, "the pool's idle connections are closed", Within);
    }

    [Fact]
    public async Task MigratingAgainstAServerThatIsNotThereIsUnavailableSoTheNodeWaitsForIt()
    {
        var nowhere = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=none;Timeout=2";
        await using var store = new SqlRuntimeStore(new PostgresDialect(), nowhere, 5);

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.MigrateAsync(default));
        Assert.IsType<SocketException>(failure.InnerException?.InnerException);
    }

    private static async Task OpenIdleConnectionsAsync(NpgsqlDataSource dataSource, int count)
    {
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < count; i++)
        {
            connections.Add(await dataSource.OpenConnectionAsync());
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync(); // back to the pool, still open on the server
        }
    }

    private async Task<long> BackendsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @d AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("d", database);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
