namespace Cluster.Runtime.Hosting;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

public enum BackplaneProvider
{
    InProcess,
    Redis,
}

/// <summary>The "Cluster" configuration section: one node's identity, storage, backplane and runtime limits.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>This node's name in logs, leases and invalidations. Defaults to host name and process id.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public StorageOptions Storage { get; set; } = new();

    public BackplaneOptions Backplane { get; set; } = new();

    public RuntimeOptions Runtime { get; set; } = new();
}

public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>ADO.NET connection string. For SQLite the default file lives under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/cluster.db";

    public int CommandTimeoutSeconds { get; set; } = 10;
}

public sealed class BackplaneOptions
{
    public BackplaneProvider Provider { get; set; } = BackplaneProvider.InProcess;

    /// <summary>StackExchange.Redis configuration string, such as "127.0.0.1:6379".</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every channel name, so several clusters can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "cluster:";
}

public sealed class RuntimeOptions
{
    /// <summary>How long a grain call may take before the caller gets a timeout error.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation with no call for this long is deactivated.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts of a turn that meets ETag conflicts before the caller gets a concurrency error.</summary>
    public int MaxTurnAttempts { get; set; } = 12;

    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node owns a claimed reminder before another node may claim it again.</summary>
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromSeconds(30);

    public int ReminderBatchSize { get; set; } = 100;

    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events unpublished for this long are taken as left behind by a crash and published by the relay.</summary>
    public TimeSpan RelayGrace { get; set; } = TimeSpan.FromSeconds(10);

    public int RelayBatchSize { get; set; } = 500;
}
