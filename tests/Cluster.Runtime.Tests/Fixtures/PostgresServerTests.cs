using Cluster.Testing;
using Npgsql;

namespace Cluster.Runtime.Tests.Fixtures;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFreshDatabaseAcceptsCreateTableInsertAndSelect()
    {
        var database = await server.CreateDatabaseAsync().WaitAsync(Timeout);

        await ExecuteAsync(database, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
        await ExecuteAsync(database, "INSERT INTO notes VALUES (1, 'hello')");

        Assert.Equal("hello", await ScalarAsync(database, "SELECT body FROM notes WHERE id = 1"));
    }

    [Fact]
    public async Task DatabasesFromCreateDatabaseDoNotSeeEachOthersTables()
    {
        var first = await server.CreateDatabaseAsync().WaitAsync(Timeout);
        var second = await server.CreateDatabaseAsync().WaitAsync(Timeout);

        await ExecuteAsync(first, "CREATE TABLE only_here (id int)");

        Assert.Equal(0L, await ScalarAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
    }

    [Fact]
    public async Task DataSurvivesStoppingAndStartingTheServer()
    {
        var database = await server.CreateDatabaseAsync().WaitAsync(Timeout);
        await ExecuteAsync(database, "CREATE TABLE notes (id int PRIMARY KEY)");
        await ExecuteAsync(database, "INSERT INTO notes VALUES (42)");
        var port = server.Port;

        await server.StopAsync().WaitAsync(Timeout);
        await server.StartAsync().WaitAsync(Timeout);

        Assert.Equal(port, server.Port);
        // Pooled connections died with the server; a fresh pool proves the data, not the pool, survived.
        Assert.Equal(42, await ScalarAsync(database + ";Pooling=false", "SELECT id FROM notes"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(timeout.Token);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(timeout.Token);
    }
}
