using System.Data.Common;
using System.Net.Sockets;
using Cluster.Grains.Abstractions;
using Npgsql;

namespace Cluster.Storage;

/// <summary>The cluster store: PostgreSQL through Npgsql, shared by every node.</summary>
public sealed class PostgresDialect : SqlDialect
{
    // Any fixed number works; it only has to be the same on every node.
    private const long MigrationLockKey = 0x436C_7573_7465_72;

    public override string Name => "postgresql";

    public override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string SkipLockedClause => " FOR UPDATE SKIP LOCKED";

    public override string LockRowClause => " FOR UPDATE";

    public override string? RelaxedCommitStatement => "SET LOCAL synchronous_commit TO OFF";

    /// <summary>
    /// The node's pool, with two defaults unless the connection string sets them: no DISCARD ALL when a connection goes
    /// back to the pool (the runtime sets no session state; transaction settings end with their transaction), and
    /// automatic preparation of the runtime's few, constantly repeated statements, which the reset would otherwise drop.
    /// </summary>
    public override DbDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    private static bool Mentions(string connectionString, params string[] keywords) =>
        keywords.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

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
        // Named explicitly rather than left to IsTransient: a server restart must read as "unavailable, retry", never as
        // an internal error, whatever a driver version counts as transient. A statement timeout is the same for callers.
        _ when IsConnectionFailure(exception) => Unavailable(exception),
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } => Unavailable(exception),
        PostgresException { IsTransient: true } => Unavailable(exception),
        NpgsqlException { IsTransient: true } => Unavailable(exception),
        _ => null,
    };

    /// <summary>
    /// After a failure of the connection itself, drops every pooled connection. Npgsql discards a broken connection only
    /// when it is next used, so after a restart or a network cut every idle connection would fail one more request (after
    /// a timeout, if the cut left them half open). Clearing makes the next requests open fresh connections, which fail fast
    /// while the server is away and work as soon as it is back.
    /// </summary>
    public override void OnFailure(DbDataSource dataSource, Exception exception)
    {
        if (dataSource is NpgsqlDataSource npgsql && IsConnectionFailure(exception))
        {
            npgsql.Clear();
        }
    }

    /// <summary>
    /// The connection failed, not the statement: the server could not be reached, went away (shut down, restarted,
    /// crashed), is starting or stopping, or did not answer in time.
    /// </summary>
    internal static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection_exception class
            || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException { InnerException: { } inner } => inner is SocketException or IOException or TimeoutException || IsConnectionFailure(inner),
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    public override string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
