using System.Net.Sockets;
using Cluster.Grains.Abstractions;
using Cluster.Storage;
using Npgsql;

namespace Cluster.Storage.Tests;

/// <summary>How PostgreSQL failures reach callers: a server going away is always "unavailable, retry", never an internal error.</summary>
public sealed class PostgresDialectTests
{
    private static readonly PostgresDialect Dialect = new();

    public static TheoryData<string> ServerGoingAwayStates => new()
    {
        PostgresErrorCodes.AdminShutdown, // fast shutdown ends open sessions
        PostgresErrorCodes.CrashShutdown,
        PostgresErrorCodes.CannotConnectNow, // starting up or shutting down
        PostgresErrorCodes.ConnectionFailure,
        PostgresErrorCodes.ConnectionException,
    };

    [Theory]
    [MemberData(nameof(ServerGoingAwayStates))]
    public void AServerGoingAwayIsUnavailableAndAConnectionFailure(string sqlState)
    {
        var failure = new PostgresException("server gone", "FATAL", "FATAL", sqlState);

        Assert.IsType<StorageUnavailableException>(Dialect.Translate(failure, new GrainId("t", "k"), null));
        Assert.True(PostgresDialect.IsConnectionFailure(failure));
    }

    [Fact]
    public void ABrokenStreamOrRefusedConnectionIsUnavailableAndAConnectionFailure()
    {
        foreach (var failure in new Exception[]
        {
            new NpgsqlException("Exception while reading from stream", new EndOfStreamException()),
            new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
            new NpgsqlException("Exception while reading from stream", new TimeoutException()),
        })
        {
            Assert.IsType<StorageUnavailableException>(Dialect.Translate(failure, null, null));
            Assert.True(PostgresDialect.IsConnectionFailure(failure));
        }
    }

    [Fact]
    public void StatementFailuresKeepTheirMeaningAndLeaveThePoolAlone()
    {
        var duplicate = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        var conflict = new PostgresException("could not serialize", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
        var syntax = new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError);

        Assert.IsType<DuplicateRowException>(Dialect.Translate(duplicate, null, "rows"));
        Assert.IsType<ETagConflictException>(Dialect.Translate(conflict, new GrainId("t", "k"), null));
        Assert.Null(Dialect.Translate(syntax, null, null));
        Assert.All(new[] { duplicate, conflict, syntax }, e => Assert.False(PostgresDialect.IsConnectionFailure(e)));
    }

    [Fact]
    public async Task APoolKeepsPreparedStatementsUnlessTheConnectionStringSaysOtherwise()
    {
        await using var defaults = Dialect.CreateDataSource("Host=127.0.0.1;Username=postgres");
        await using var chosen = Dialect.CreateDataSource("Host=127.0.0.1;Username=postgres;No Reset On Close=false;Max Auto Prepare=0");

        var kept = new NpgsqlConnectionStringBuilder(defaults.ConnectionString);
        var asGiven = new NpgsqlConnectionStringBuilder(chosen.ConnectionString);
        Assert.True(kept.NoResetOnClose);
        Assert.True(kept.MaxAutoPrepare > 0);
        Assert.False(asGiven.NoResetOnClose);
        Assert.Equal(0, asGiven.MaxAutoPrepare);
    }
}
