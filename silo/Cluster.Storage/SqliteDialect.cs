using System.Data.Common;
using Cluster.Grains.Abstractions;
using Microsoft.Data.Sqlite;

namespace Cluster.Storage;

/// <summary>The embedded single-node store: one SQLite file in WAL mode.</summary>
#pragma warning disable CA1001 // The gate never allocates a wait handle, so there is nothing to dispose.
public sealed class SqliteDialect : SqlDialect
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Constraint = 19;

    // SQLite admits one writer at a time; queueing writers here is cheaper than letting them spin on SQLITE_BUSY.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public override string Name => "sqlite";

    public override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string SkipLockedClause => "";

    public override string LockRowClause => "";

    public override DbDataSource CreateDataSource(string connectionString) => SqliteFactory.Instance.CreateDataSource(connectionString);

    public override async Task PrepareAsync(string connectionString, CancellationToken cancellationToken)
    {
        var path = DataFile(connectionString);
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already excludes other writers.

    public override async ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        return new Release(_writeGate);
    }

    public override Exception? Translate(Exception exception, GrainId? grain, string? collection) => exception switch
    {
        SqliteException { SqliteErrorCode: Constraint } => new DuplicateRowException(collection ?? "rows", grain?.ToString() ?? "?"),
        SqliteException { SqliteErrorCode: Busy or Locked } => Unavailable(exception),
        _ => null,
    };

    public override string Describe(string connectionString) => "sqlite file " + DataFile(connectionString);

    private static string DataFile(string connectionString) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
#pragma warning restore CA1001
