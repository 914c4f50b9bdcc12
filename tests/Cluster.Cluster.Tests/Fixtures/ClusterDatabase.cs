using System.Text.Json;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Testing.Hub;
using Npgsql;

namespace Cluster.Cluster.Tests.Fixtures;

/// <summary>One message row as stored: table grain_rows, collection 'messages', partition_key = conversation id.</summary>
public sealed record StoredMessage(long RowId, string ConversationId, long Sequence, string? UniqueKey, MessageView Message)
{
    public string SenderId => Message.SenderId;

    public string ClientMessageId => Message.ClientMessageId;
}

/// <summary>
/// Read access to the cluster's PostgreSQL database for checks. Connections are unpooled, so a PostgreSQL restart
/// in a test never leaves a broken pooled connection behind; every command is bounded.
/// </summary>
public sealed class ClusterDatabase(string connectionString)
{
    public const string MessagesCollection = "messages";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    /// <summary>An Npgsql connection string to the cluster database (unpooled).</summary>
    public string ConnectionString { get; } = connectionString + ";Pooling=false;Timeout=5;Command Timeout=15";

    /// <summary>Opens a connection (the caller disposes it).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every stored message of the given conversations (all conversations when null), ordered by conversation and sequence.</summary>
    public async Task<IReadOnlyList<StoredMessage>> MessagesAsync(IEnumerable<string>? conversationIds = null)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await using var connection = await OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(
            "SELECT id, partition_key, seq, unique_key, data FROM grain_rows WHERE collection = @c"
            + (conversationIds is null ? "" : " AND partition_key = ANY(@p)")
            + " ORDER BY partition_key, seq, id",
            connection);
        command.Parameters.AddWithValue("c", MessagesCollection);
        if (conversationIds is not null)
        {
            command.Parameters.AddWithValue("p", conversationIds.Distinct(StringComparer.Ordinal).ToArray());
        }

        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(timeout.Token);
        while (await reader.ReadAsync(timeout.Token))
        {
            var data = JsonSerializer.Deserialize<MessageView>(reader.GetString(4), HubClient.Json)
                ?? throw new InvalidOperationException($"Row {reader.GetInt64(0)} holds no message.");
            messages.Add(new StoredMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? -1 : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                data));
        }

        return messages;
    }

    /// <summary>Runs a scalar query (bounded) with named parameters, for checks the helpers here do not cover.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await using var connection = await OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(timeout.Token);
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
