using System.Data.Common;
using System.Globalization;
using System.Text;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Feed;

namespace Cluster.Storage;

/// <summary>
/// The runtime's store over ADO.NET. Times are stored as Unix milliseconds so both dialects share every query.
/// </summary>
public sealed class SqlRuntimeStore : IRuntimeStore, IAsyncDisposable
{
    private readonly SqlDialect _dialect;
    private readonly string _connectionString;
    private readonly DbDataSource _dataSource;
    private readonly int _commandTimeoutSeconds;

    public SqlRuntimeStore(SqlDialect dialect, string connectionString, int commandTimeoutSeconds)
    {
        _dialect = dialect;
        _connectionString = connectionString;
        _dataSource = dialect.CreateDataSource(connectionString);
        _commandTimeoutSeconds = commandTimeoutSeconds;
    }

    public string Describe() => _dialect.Describe(_connectionString);

    public string Engine => _dialect.Name;

    // Guarded like every other operation, so that a database that is not up yet reads as StorageUnavailableException,
    // which the node's start-up waits out, instead of a raw driver error that stops the node at once.
    public Task MigrateAsync(CancellationToken cancellationToken) => Guard(null, null, () => MigrateCoreAsync(cancellationToken));

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        await _dialect.PrepareAsync(_connectionString, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await _dialect.LockForMigrationAsync(connection, transaction, cancellationToken);
        await ExecuteAsync(connection, transaction,
            $"CREATE TABLE IF NOT EXISTS {Schema.Migrations} (version INT PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        var current = Convert.ToInt64(
            await ScalarAsync(connection, transaction, $"SELECT COALESCE(MAX(version), 0) FROM {Schema.Migrations}") ?? 0L,
            CultureInfo.InvariantCulture);
        foreach (var migration in Schema.For(_dialect).Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO {Schema.Migrations} (version, description, applied_at) VALUES (@v, @d, @t)",
                ("v", migration.Version), ("d", migration.Description), ("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken) => Guard(null, null, async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ScalarAsync(connection, null, "SELECT 1");
    });

    public Task<GrainStateRecord?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken) => Guard(grain, null, async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT data, etag FROM {Schema.GrainState} WHERE grain_type = @t AND grain_key = @k",
            ("t", grain.Type), ("k", grain.Key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GrainStateRecord(reader.GetString(0), reader.GetInt64(1)) : null;
    });

    public Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken) => Guard(commit.Grain, null, async () =>
    {
        using var gate = await _dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await WriteTurnAsync(connection, transaction, commit);
        await transaction.CommitAsync(cancellationToken);
        return result;
    });

    public Task<ILockedGrainState> LockStateAsync(GrainId grain, CancellationToken cancellationToken) => Guard(grain, null, async () =>
    {
        if (_dialect.LockRowClause.Length == 0)
        {
            return (ILockedGrainState)new UnlockedState(this, await ReadStateAsync(grain, cancellationToken));
        }

        var connection = await OpenAsync(cancellationToken);
        DbTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = Command(connection, transaction,
                $"SELECT data, etag FROM {Schema.GrainState} WHERE grain_type = @t AND grain_key = @k{_dialect.LockRowClause}",
                ("t", grain.Type), ("k", grain.Key));
            GrainStateRecord? state = null;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    state = new GrainStateRecord(reader.GetString(0), reader.GetInt64(1));
                }
            }

            return new LockedState(this, connection, transaction, state);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    });

    /// <summary>
    /// Writes everything a turn did inside the caller's transaction: the state (ETag-checked), reminders, rows, outbox
    /// events and each recipient's feed head in one batch (one round trip where the driver batches), then the feed entries,
    /// numbered from the heads, in one statement.
    /// </summary>
    private async Task<CommitResult> WriteTurnAsync(DbConnection connection, DbTransaction transaction, TurnCommit commit)
    {
        var now = commit.Now.ToUnixTimeMilliseconds();
        // The state write goes first: a conflicting writer stops there, before it has locked anything else.
        var statements = new List<Statement> { StateStatement(commit, now) };
        AddReminderStatements(statements, commit);
        foreach (var row in commit.Rows)
        {
            statements.Add(new Statement(
                $"INSERT INTO {Schema.Rows} (collection, partition_key, seq, unique_key, data, committed_at) VALUES (@c, @p, @s, @u, @d, @t)",
                [("c", row.Collection), ("p", row.Partition), ("s", row.Sequence), ("u", row.UniqueKey), ("d", row.Data), ("t", now)]));
        }

        foreach (var e in commit.Events)
        {
            statements.Add(new Statement(
                $"INSERT INTO {Schema.Outbox} (event_id, event_type, payload, created_at, published) VALUES (@i, @y, @p, @c, @b)",
                [("i", e.EventId.ToString()), ("y", e.Type), ("p", e.Payload), ("c", now), ("b", e.Audience.Count == 0)]));
        }

        // Each user's feed head is a counter row locked until commit, so a user's cursors commit in order
        // with no gaps. Heads are taken in one global order so that two turns never wait on each other in a cycle.
        var perUser = commit.Events
            .SelectMany(e => e.Audience.Distinct(StringComparer.Ordinal).Select(user => (User: user, Event: e)))
            .GroupBy(x => x.User, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToList();
        var firstHead = statements.Count;
        foreach (var items in perUser)
        {
            statements.Add(new Statement(
                $"""
                INSERT INTO {Schema.FeedHeads} (user_id, feed_seq) VALUES (@u, @n)
                ON CONFLICT (user_id) DO UPDATE SET feed_seq = {Schema.FeedHeads}.feed_seq + excluded.feed_seq
                RETURNING feed_seq
                """,
                [("u", items[0].User), ("n", (long)items.Count)],
                ReturnsValue: true));
        }

        var results = await RunAsync(connection, transaction, statements, commit.Grain);
        var deliveries = new List<FeedEvent>();
        var entries = new List<(string User, long Cursor, string EventId)>();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        for (var u = 0; u < perUser.Count; u++)
        {
            var items = perUser[u];
            var cursor = Convert.ToInt64(results[firstHead + u], CultureInfo.InvariantCulture) - items.Count;
            foreach (var (user, e) in items)
            {
                cursor++;
                entries.Add((user, cursor, e.EventId.ToString()));
                deliveries.Add(new FeedEvent(user, cursor, e.EventId, e.Type, e.Payload, at));
            }
        }

        foreach (var chunk in entries.Chunk(EntriesPerStatement))
        {
            var values = new StringBuilder();
            var parameters = new List<(string, object?)>(chunk.Length * 3);
            for (var i = 0; i < chunk.Length; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                values.Append(i == 0 ? "" : ", ").Append("(@u").Append(n).Append(", @s").Append(n).Append(", @e").Append(n).Append(')');
                parameters.Add(("u" + n, chunk[i].User));
                parameters.Add(("s" + n, chunk[i].Cursor));
                parameters.Add(("e" + n, chunk[i].EventId));
            }

            await ExecuteAsync(connection, transaction, $"INSERT INTO {Schema.FeedEntries} (user_id, feed_seq, event_id) VALUES {values}", [.. parameters]);
        }

        return new CommitResult((commit.ExpectedETag ?? 0) + 1, deliveries);
    }

    /// <summary>
    /// Runs a turn's statements in order. The first is the ETag-checked state write and runs alone: unless it wrote exactly
    /// one row the turn conflicts, before anything else is written or locked (a duplicate row of a stale writer must read
    /// as the conflict it is). The rest run as one batch (one round trip) where the driver supports batches, else one by
    /// one. Answers each statement's returned value (for those that return one).
    /// </summary>
    private async Task<object?[]> RunAsync(DbConnection connection, DbTransaction transaction, List<Statement> statements, GrainId grain)
    {
        var values = new object?[statements.Count];
        if (await ExecuteAsync(connection, transaction, statements[0].Sql, statements[0].Parameters) != 1)
        {
            throw new ETagConflictException(grain);
        }

        if (statements.Count == 1)
        {
            return values;
        }

        if (!connection.CanCreateBatch)
        {
            for (var i = 1; i < statements.Count; i++)
            {
                var statement = statements[i];
                values[i] = statement.ReturnsValue
                    ? await ScalarAsync(connection, transaction, statement.Sql, statement.Parameters)
                    : await ExecuteAsync(connection, transaction, statement.Sql, statement.Parameters);
            }

            return values;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        batch.Timeout = _commandTimeoutSeconds;
        for (var i = 1; i < statements.Count; i++)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statements[i].Sql;
            foreach (var (name, value) in statements[i].Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        var returning = Enumerable.Range(1, statements.Count - 1).Where(i => statements[i].ReturnsValue).ToList();
        await using var reader = await batch.ExecuteReaderAsync();
        // Only statements that return rows produce result sets; they come in statement order.
        var next = 0;
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync())
            {
                values[returning[next++]] = reader.GetValue(0);
            }
        }
        while (await reader.NextResultAsync());

        return values;
    }

    public Task<IReadOnlyList<RawRow>> ReadRowsAfterAsync(string collection, string partition, long afterSequence, int limit, CancellationToken cancellationToken) =>
        ReadRowsAsync(collection, $"seq > @s ORDER BY seq LIMIT {Limit(limit)}", partition, afterSequence, reverse: false, cancellationToken);

    public Task<IReadOnlyList<RawRow>> ReadRowsBeforeAsync(string collection, string partition, long beforeSequence, int limit, CancellationToken cancellationToken) =>
        ReadRowsAsync(collection, $"seq < @s ORDER BY seq DESC LIMIT {Limit(limit)}", partition, beforeSequence, reverse: true, cancellationToken);

    public Task<IReadOnlyList<RawRow>> ReadRecentRowsAsync(string collection, string partition, int limit, CancellationToken cancellationToken) =>
        ReadRowsAsync(collection, $"1 = 1 ORDER BY id DESC LIMIT {Limit(limit)}", partition, 0, reverse: true, cancellationToken);

    public Task<RawRow?> FindRowAsync(string collection, string partition, string uniqueKey, CancellationToken cancellationToken) => Guard(null, collection, async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT seq, unique_key, data, committed_at FROM {Schema.Rows} WHERE collection = @c AND partition_key = @p AND unique_key = @u",
            ("c", collection), ("p", partition), ("u", uniqueKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    });

    public Task<FeedPage> ReadFeedAsync(string userId, long afterCursor, int limit, CancellationToken cancellationToken) => Guard(null, null, async () =>
    {
        var size = Limit(limit);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"""
            SELECT f.feed_seq, e.event_id, e.event_type, e.payload, e.created_at
            FROM {Schema.FeedEntries} f JOIN {Schema.Outbox} e ON e.event_id = f.event_id
            WHERE f.user_id = @u AND f.feed_seq > @a ORDER BY f.feed_seq LIMIT {size + 1}
            """,
            ("u", userId), ("a", afterCursor));
        var events = new List<FeedEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new FeedEvent(userId, reader.GetInt64(0), Guid.Parse(reader.GetString(1)), reader.GetString(2),
                    reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }
        }

        var hasMore = events.Count > size;
        if (hasMore)
        {
            events.RemoveAt(events.Count - 1);
        }

        return new FeedPage(events, events.Count > 0 ? events[^1].Cursor : afterCursor, hasMore);
    });

    public Task<IReadOnlyList<FeedEvent>> ClaimUnpublishedAsync(DateTimeOffset createdBefore, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken) => Guard(null, null, async () =>
    {
        using var gate = await _dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var nowMs = now.ToUnixTimeMilliseconds();
        var claimed = new List<(string EventId, string Type, string Payload, long CreatedAt)>();
        await using (var command = Command(connection, transaction,
            $"""
            UPDATE {Schema.Outbox} SET lease_until = @until WHERE id IN (
                SELECT id FROM {Schema.Outbox}
                WHERE NOT published AND created_at <= @before AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY id LIMIT {Limit(limit)}{_dialect.SkipLockedClause})
            RETURNING event_id, event_type, payload, created_at
            """,
            ("until", nowMs + (long)lease.TotalMilliseconds), ("before", createdBefore.ToUnixTimeMilliseconds()), ("now", nowMs)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        var deliveries = new List<FeedEvent>();
        if (claimed.Count > 0)
        {
            var byId = claimed.ToDictionary(c => c.EventId, StringComparer.Ordinal);
            var (inList, parameters) = InList("e", claimed.Select(c => (object?)c.EventId));
            await using var command = Command(connection, transaction,
                $"SELECT user_id, feed_seq, event_id FROM {Schema.FeedEntries} WHERE event_id IN ({inList}) ORDER BY event_id, user_id", parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var e = byId[reader.GetString(2)];
                deliveries.Add(new FeedEvent(reader.GetString(0), reader.GetInt64(1), Guid.Parse(e.EventId), e.Type, e.Payload,
                    DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedAt)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (IReadOnlyList<FeedEvent>)deliveries;
    });

    public Task MarkPublishedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) => Guard(null, null, async () =>
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        using var gate = await _dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var (inList, parameters) = InList("e", eventIds.Select(id => (object?)id.ToString()));
        var update = $"UPDATE {Schema.Outbox} SET published = TRUE, lease_until = NULL WHERE event_id IN ({inList})";
        if (_dialect.RelaxedCommitStatement is not { } relaxed)
        {
            await ExecuteAsync(connection, null, update, parameters);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, relaxed);
        await ExecuteAsync(connection, transaction, update, parameters);
        await transaction.CommitAsync(cancellationToken);
    });

    public Task<IReadOnlyList<DueReminder>> ClaimDueRemindersAsync(DateTimeOffset now, string owner, TimeSpan lease, int limit, CancellationToken cancellationToken) => Guard(null, null, async () =>
    {
        using var gate = await _dialect.EnterWriteAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var command = Command(connection, null,
            $"""
            UPDATE {Schema.Reminders} SET lease_owner = @o, lease_until = @until
            WHERE (grain_type, grain_key, name) IN (
                SELECT grain_type, grain_key, name FROM {Schema.Reminders}
                WHERE due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY due_at LIMIT {Limit(limit)}{_dialect.SkipLockedClause})
            RETURNING grain_type, grain_key, name, due_at
            """,
            ("o", owner), ("until", nowMs + (long)lease.TotalMilliseconds), ("now", nowMs));
        var due = new List<DueReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueReminder(new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return (IReadOnlyList<DueReminder>)due;
    });

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static Statement StateStatement(TurnCommit commit, long now) =>
        commit.ExpectedETag is { } expected
            ? new Statement(
                $"UPDATE {Schema.GrainState} SET etag = etag + 1, data = @d, updated_at = @n WHERE grain_type = @t AND grain_key = @k AND etag = @e",
                [("d", commit.State), ("n", now), ("t", commit.Grain.Type), ("k", commit.Grain.Key), ("e", expected)])
            : new Statement(
                $"INSERT INTO {Schema.GrainState} (grain_type, grain_key, etag, data, updated_at) VALUES (@t, @k, 1, @d, @n) ON CONFLICT DO NOTHING",
                [("t", commit.Grain.Type), ("k", commit.Grain.Key), ("d", commit.State), ("n", now)]);

    private static void AddReminderStatements(List<Statement> statements, TurnCommit commit)
    {
        var grain = commit.Grain;
        if (commit.Fired is { } fired)
        {
            // Only the firing that was delivered is removed; a reminder moved meanwhile stays.
            statements.Add(new Statement(
                $"DELETE FROM {Schema.Reminders} WHERE grain_type = @t AND grain_key = @k AND name = @n AND due_at = @d",
                [("t", grain.Type), ("k", grain.Key), ("n", fired.Name), ("d", fired.DueAt.ToUnixTimeMilliseconds())]));
        }

        foreach (var change in commit.Reminders)
        {
            statements.Add(change.DueAt is { } due
                ? new Statement(
                    $"""
                    INSERT INTO {Schema.Reminders} (grain_type, grain_key, name, due_at) VALUES (@t, @k, @n, @d)
                    ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET due_at = excluded.due_at, lease_owner = NULL, lease_until = NULL
                    """,
                    [("t", grain.Type), ("k", grain.Key), ("n", change.Name), ("d", due.ToUnixTimeMilliseconds())])
                : new Statement(
                    $"DELETE FROM {Schema.Reminders} WHERE grain_type = @t AND grain_key = @k AND name = @n",
                    [("t", grain.Type), ("k", grain.Key), ("n", change.Name)]));
        }
    }

    private Task<IReadOnlyList<RawRow>> ReadRowsAsync(string collection, string condition, string partition, long sequence, bool reverse, CancellationToken cancellationToken) =>
        Guard(null, collection, async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null,
                $"SELECT seq, unique_key, data, committed_at FROM {Schema.Rows} WHERE collection = @c AND partition_key = @p AND {condition}",
                ("c", collection), ("p", partition), ("s", sequence));
            var rows = new List<RawRow>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(ReadRow(reader));
            }

            if (reverse)
            {
                rows.Reverse();
            }

            return (IReadOnlyList<RawRow>)rows;
        });

    private static RawRow ReadRow(DbDataReader reader) => new(
        reader.IsDBNull(0) ? null : reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    private static int Limit(int limit) => Math.Clamp(limit, 1, 10_000);

    /// <summary>Feed entries per INSERT statement (three parameters each, well under every engine's limit).</summary>
    private const int EntriesPerStatement = 1000;

    /// <summary>One statement of a turn's write; <see cref="ReturnsValue"/> when it answers a value (RETURNING).</summary>
    private sealed record Statement(string Sql, (string Name, object? Value)[] Parameters, bool ReturnsValue = false);

    private async Task<T> Guard<T>(GrainId? grain, string? collection, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex)
        {
            _dialect.OnFailure(_dataSource, ex);
            if (_dialect.Translate(ex, grain, collection) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    private async Task Guard(GrainId? grain, string? collection, Func<Task> action) =>
        await Guard(grain, collection, async () =>
        {
            await action();
            return true;
        });

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = _commandTimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private sealed class LockedState(SqlRuntimeStore store, DbConnection connection, DbTransaction transaction, GrainStateRecord? state) : ILockedGrainState
    {
        public GrainStateRecord? State { get; } = state;

        public Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken) => store.Guard(commit.Grain, null, async () =>
        {
            var result = await store.WriteTurnAsync(connection, transaction, commit);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private sealed class UnlockedState(SqlRuntimeStore store, GrainStateRecord? state) : ILockedGrainState
    {
        public GrainStateRecord? State { get; } = state;

        public Task<CommitResult> CommitAsync(TurnCommit commit, CancellationToken cancellationToken) => store.CommitAsync(commit, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static (string Sql, (string, object?)[] Parameters) InList(string prefix, IEnumerable<object?> values)
    {
        var parameters = values.Select((v, i) => (prefix + i.ToString(CultureInfo.InvariantCulture), v)).ToArray();
        var sql = new StringBuilder();
        foreach (var (name, _) in parameters)
        {
            sql.Append(sql.Length == 0 ? "@" : ", @").Append(name);
        }

        return (sql.ToString(), parameters);
    }
}
