using System.Data.Common;
using Cluster.Grains.Abstractions;

namespace Cluster.Storage;

/// <summary>One schema migration: a version and the statements that bring the schema to it.</summary>
public sealed record Migration(int Version, string Description, string Sql);

/// <summary>What differs between the engines behind <see cref="SqlRuntimeStore"/>; the queries themselves are shared.</summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>The column type of an auto-numbered primary key.</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>Appended to a claim's inner SELECT so that concurrent claimers skip each other's rows.</summary>
    public abstract string SkipLockedClause { get; }

    /// <summary>Appended to a SELECT of a state row to hold other writers off until commit; empty where writers are serialised anyway.</summary>
    public abstract string LockRowClause { get; }

    public abstract DbDataSource CreateDataSource(string connectionString);

    /// <summary>
    /// A statement that lets the current transaction commit without waiting for its flush to disk, for writes whose loss
    /// in a crash is harmless (marking events published: a lost mark only makes the relay publish again, and consumers
    /// dedupe by event id). Null where the engine has no such setting.
    /// </summary>
    public virtual string? RelaxedCommitStatement => null;

    /// <summary>Holds other migrators off until the transaction ends (several nodes may start at once).</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Serialises writers where the engine allows one writer at a time anyway; a no-op elsewhere.</summary>
    public virtual ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IDisposable>(NoGate.Instance);

    /// <summary>Maps an engine failure to the runtime's errors; null leaves the exception as it is.</summary>
    public abstract Exception? Translate(Exception exception, GrainId? grain, string? collection);

    /// <summary>Called with every failure of a store operation, before it is translated; lets a dialect reset its pool.</summary>
    public virtual void OnFailure(DbDataSource dataSource, Exception exception)
    {
    }

    /// <summary>Where the data lives, for the start-up log; never includes credentials.</summary>
    public abstract string Describe(string connectionString);

    public virtual Task PrepareAsync(string connectionString, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }

    protected static Exception Unavailable(Exception inner) =>
        new StorageUnavailableException("The message store is unreachable or busy; nothing was committed. Try again.", inner);
}
