using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cluster.Runtime.Hosting;

/// <summary>Refuses a configuration that cannot work, with one sentence per problem naming the setting.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NodeId) || options.NodeId.Any(char.IsWhiteSpace))
        {
            problems.Add("Cluster:NodeId must be a non-empty name without spaces.");
        }

        CheckStorage(options.Storage, problems);
        if (options.Backplane.Provider == BackplaneProvider.Redis && string.IsNullOrWhiteSpace(options.Backplane.Redis))
        {
            problems.Add("Cluster:Backplane:Provider is Redis but Cluster:Backplane:Redis (host:port) is empty.");
        }

        var runtime = options.Runtime;
        Positive(runtime.CallTimeout, "Cluster:Runtime:CallTimeout", problems);
        Positive(runtime.IdleTimeout, "Cluster:Runtime:IdleTimeout", problems);
        Positive(runtime.ReminderPollInterval, "Cluster:Runtime:ReminderPollInterval", problems);
        Positive(runtime.ReminderLease, "Cluster:Runtime:ReminderLease", problems);
        Positive(runtime.RelayInterval, "Cluster:Runtime:RelayInterval", problems);
        Positive(runtime.RelayGrace, "Cluster:Runtime:RelayGrace", problems);
        InRange(runtime.MaxTurnAttempts, 1, 100, "Cluster:Runtime:MaxTurnAttempts", problems);
        InRange(runtime.ReminderBatchSize, 1, 10_000, "Cluster:Runtime:ReminderBatchSize", problems);
        InRange(runtime.RelayBatchSize, 1, 10_000, "Cluster:Runtime:RelayBatchSize", problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckStorage(StorageOptions storage, List<string> problems)
    {
        InRange(storage.CommandTimeoutSeconds, 1, 600, "Cluster:Storage:CommandTimeoutSeconds", problems);
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            problems.Add($"Cluster:Storage:ConnectionString is empty; {storage.Provider} needs one.");
            return;
        }

        try
        {
            var ok = storage.Provider switch
            {
                StorageProvider.Sqlite => !string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource),
                StorageProvider.PostgreSql => !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(storage.ConnectionString).Host),
                _ => false,
            };
            if (!ok)
            {
                problems.Add($"Cluster:Storage:ConnectionString names no {(storage.Provider == StorageProvider.Sqlite ? "Data Source" : "Host")} for {storage.Provider}.");
            }
        }
        catch (ArgumentException ex)
        {
            problems.Add($"Cluster:Storage:ConnectionString is not a valid {storage.Provider} connection string ({ex.Message}).");
        }
    }

    private static void Positive(TimeSpan value, string setting, List<string> problems)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{setting} must be a positive duration such as 00:00:30.");
        }
    }

    private static void InRange(int value, int min, int max, string setting, List<string> problems)
    {
        if (value < min || value > max)
        {
            problems.Add($"{setting} must be between {min} and {max}; it is {value}.");
        }
    }
}
