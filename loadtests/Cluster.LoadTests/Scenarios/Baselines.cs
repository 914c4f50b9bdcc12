using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Cluster.Api.LoadTesting;
using Cluster.LoadTests.Client;
using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Targets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cluster.LoadTests.Scenarios;

/// <summary>
/// The ceilings measured in the same run as the figures they divide: raw durable single-row inserts into the target's
/// database at the same concurrency, and a bare echo hub (no grains, no storage, no backplane) at the same load.
/// </summary>
public static class Baselines
{
    public const string InsertPhase = "baseline-insert";
    public const string EchoPhase = "baseline-echo";

    /// <summary>
    /// Writers insert one row each, back to back, every insert its own committed (durable) transaction: the most a
    /// message path that commits once per message could store. Answers null when the target's database is unknown.
    /// </summary>
    public static async Task<PhaseResult?> RawInsertAsync(ScenarioHost host, CancellationToken cancellationToken)
    {
        if (host.Target.Storage is not { } storage)
        {
            host.Findings.Notes.Add("No raw-insert baseline: the target's database is unknown (give --database with --url).");
            return null;
        }

        var writers = host.Options.InsertWriters;
        var body = new string('x', 120);
        var table = "loadtest_baseline_" + host.Tag.Replace('-', '_');
        Func<Task> insert;
        Func<Task> cleanUp;
        if (storage.Provider == "Sqlite")
        {
            await ExecuteSqliteAsync(storage.ConnectionString, "PRAGMA journal_mode = WAL;", cancellationToken);
            await ExecuteSqliteAsync(storage.ConnectionString, $"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL)", cancellationToken);
            insert = async () =>
            {
                await using var connection = new SqliteConnection(storage.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = $"INSERT INTO {table} (conversation_id, body, created_at) VALUES ($c, $b, $t)";
                command.Parameters.AddWithValue("$c", "c-" + Random.Shared.Next(1000));
                command.Parameters.AddWithValue("$b", body);
                command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(cancellationToken);
            };
            cleanUp = () => ExecuteSqliteAsync(storage.ConnectionString, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(storage.ConnectionString) { MaxPoolSize = Math.Max(writers + 2, 10), Pooling = true };
            var source = NpgsqlDataSource.Create(builder.ConnectionString);
            await ExecutePostgresAsync(source, $"CREATE TABLE IF NOT EXISTS {table} (id BIGSERIAL PRIMARY KEY, conversation_id TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)", cancellationToken);
            insert = async () =>
            {
                await using var command = source.CreateCommand($"INSERT INTO {table} (conversation_id, body, created_at) VALUES ($1, $2, $3)");
                command.Parameters.Add(new NpgsqlParameter { Value = "c-" + Random.Shared.Next(1000) });
                command.Parameters.Add(new NpgsqlParameter { Value = body });
                command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
                await command.ExecuteNonQueryAsync(cancellationToken);
            };
            cleanUp = async () =>
            {
                await ExecutePostgresAsync(source, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
                // The baseline writes a lot of WAL; without a checkpoint now, the next phase would pay for it (a
                // checkpoint falling due in the middle of it stalled commits for seconds). Needs a superuser.
                try
                {
                    await ExecutePostgresAsync(source, "CHECKPOINT", CancellationToken.None);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    host.Findings.Notes.Add("No CHECKPOINT after the raw-insert baseline (the database user is not a superuser): the next phase may pay for its WAL.");
                }

                await source.DisposeAsync();
            };
        }

        try
        {
            return await host.RunPhaseAsync(InsertPhase, LoadSimulation.KeepConstant(writers, host.Options.Duration), async context =>
            {
                var step = context.Metrics.Step("insert");
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await insert();
                    step.RecordOk(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
                {
                    step.RecordFailure("db." + ex.GetType().Name, Stopwatch.GetElapsedTime(started));
                }
            }, cancellationToken);
        }
        finally
        {
            await cleanUp();
        }
    }

    /// <summary>
    /// The echo hub at the same load as the scenario: each iteration one of <paramref name="senders"/> pushes to its
    /// partner among <paramref name="receivers"/> (EchoTo) and the partner's receipt is timed, like a message's delivery.
    /// </summary>
    public static async Task<PhaseResult> EchoAsync(ScenarioHost host, IReadOnlyList<LoadSimulation> simulation, IReadOnlyList<string> senders, IReadOnlyList<string> receivers, CancellationToken cancellationToken)
    {
        var waiting = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        var receiving = new List<HubConnection>();
        var sending = new List<HubConnection>();
        try
        {
            for (var i = 0; i < receivers.Count; i++)
            {
                receiving.Add(await HubConnection.ConnectAsync(host.Target.Node(i), EchoHub.Path, host.Target.Tokens.Mint(receivers[i], "clinician"), new HubConnectionOptions
                {
                    OnPush = (target, arguments, at) =>
                    {
                        if (target == EchoHub.EchoedEvent && waiting.TryRemove(arguments[0].GetString()!, out var pending))
                        {
                            pending.TrySetResult(at);
                        }
                    },
                }, cancellationToken));
            }

            for (var i = 0; i < senders.Count; i++)
            {
                // With the receiver's node: the echo hub has no backplane, so a pair must share a node.
                sending.Add(await HubConnection.ConnectAsync(host.Target.Node(i % receivers.Count), EchoHub.Path, host.Target.Tokens.Mint(senders[i], "patient"), null, cancellationToken));
            }

            var padding = new string('x', 100);
            return await host.RunPhaseAsync(EchoPhase, simulation, async context =>
            {
                var index = (int)(context.Number % senders.Count);
                var payload = $"{context.Number}:{padding}";
                var delivered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting[payload] = delivered;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var reply = await sending[index].CallAsync(nameof(EchoHub.EchoTo), [receivers[index % receivers.Count], payload], context.Cancellation);
                    context.Metrics.Step("ack").RecordOk(Stopwatch.GetElapsedTime(started), reply.Bytes);
                }
                catch (HubCallException)
                {
                    waiting.TryRemove(payload, out _);
                    context.Metrics.Step("ack").RecordFailure("hub.call-failed", Stopwatch.GetElapsedTime(started));
                    return;
                }

                await RecordDeliveryAsync(context.Metrics.Step("delivery"), delivered.Task, started, () => waiting.TryRemove(payload, out _), context.Cancellation);
            }, cancellationToken);
        }
        finally
        {
            await Task.WhenAll(receiving.Concat(sending).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Waits (bounded) for a delivery and records its latency from <paramref name="started"/>, or delivery.timeout.</summary>
    public static async Task RecordDeliveryAsync(StepMetrics step, Task<long> delivered, long started, Action forget, CancellationToken cancellationToken)
    {
        try
        {
            var at = await delivered.WaitAsync(DeliveryTimeout, cancellationToken);
            step.RecordOk(Stopwatch.GetElapsedTime(started, at));
        }
        catch (TimeoutException)
        {
            forget();
            step.RecordFailure("delivery.timeout");
        }
        catch (OperationCanceledException)
        {
            forget();
        }
    }

    /// <summary>How long a push may take before it counts as lost.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The managed heap and working set the node reports (load-test endpoints), after a full collection.</summary>
    public static async Task<NodeMemory> NodeMemoryAsync(Target target, int node, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = target.Node(node), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", target.Tokens.Mint("loadtest-probe", "admin"));
        using var response = await http.GetAsync(LoadTestEndpoints.MemoryPath, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{LoadTestEndpoints.MemoryPath} answered {(int)response.StatusCode}: start the node with Api__LoadTestEndpoints=true.");
        }

        return JsonSerializer.Deserialize<NodeMemory>(await response.Content.ReadAsStringAsync(cancellationToken), JsonSerializerOptions.Web)!;
    }

    private static async Task ExecuteSqliteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecutePostgresAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
