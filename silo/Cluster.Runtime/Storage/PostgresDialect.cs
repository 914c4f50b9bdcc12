using System.Data.Common;
using System.Net.Sockets;
using Cluster.Grains.Abstractions;
using Npgsql;

namespace Cluster.Runtime.Storage;

/// <summary>The cluster store: PostgreSQL through Npgsql, shared by every node.</summary>
public sealed class PostgresDialect : SqlDialect
{
    // Any fixed number works; it only has to be the same on every node.
    private const long MigrationLockKey = 0x436C_7573_7465_72;

    public override string Name => "postgresql";

    public override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string SkipLockedClause => " FOR UPDATE SKIP LOCKED";

    public override string LockRowClause => " FOR UPDATE";

    public override DbDataSource CreateDataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Exception? Translate(Exception exception, GrainId? grain, string? collection) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } =>
            new DuplicateRowException(collection ?? "rows", grain?.ToString() ?? "?"),
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } when grain is { } g =>
            new ETagConflictException(g),
        PostgresException { IsTransient: true } => Unavailable(exception),
        NpgsqlException { IsTransient: true } => Unavailable(exception),
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => Unavailable(exception),
        SocketException or TimeoutException => Unavailable(exception),
        _ => null,
    };

    public override string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
