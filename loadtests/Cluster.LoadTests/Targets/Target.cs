using System.Diagnostics;
using System.Globalization;
using Cluster.LoadTests.Client;

namespace Cluster.LoadTests.Targets;

/// <summary>Which database the target stores in, for the raw-insert baseline against the same database.</summary>
public sealed record TargetStorage(string Provider, string ConnectionString);

/// <summary>
/// The nodes a load test drives: an embedded node the generator starts itself, a local cluster started with
/// scripts/cluster.sh, or nodes already running elsewhere. Disposing stops what the target started.
/// </summary>
public sealed class Target : IAsyncDisposable
{
    /// <summary>Node settings for a load test: the baseline endpoints on, and the per-user limits out of the way (they are the
    /// grains' rules, tested elsewhere; a load test measures the path, not the limits). Quiet console.</summary>
    public static IReadOnlyDictionary<string, string> LoadTestSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Api__LoadTestEndpoints"] = "true",
        ["Api__HubCallsPerSecond"] = "100000",
        ["Api__HubCallBurst"] = "100000",
        ["Api__MaxConnectionsPerUser"] = "1000",
        ["Messaging__PatientMessagesPerHour"] = "10000000",
        ["Messaging__PatientMessagesPerDay"] = "10000000",
        ["Messaging__PatientConversationsPerDay"] = "100000",
        ["Messaging__CareTeamMessagesPerMinute"] = "10000000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };

    private readonly Func<ValueTask> _stop;

    private Target(string description, IReadOnlyList<Uri> nodes, IReadOnlyList<int> processIds, TokenMinter tokens, TargetStorage? storage, Func<ValueTask> stop)
    {
        Description = description;
        Nodes = nodes;
        ProcessIds = processIds;
        Tokens = tokens;
        Storage = storage;
        _stop = stop;
    }

    public string Description { get; }

    /// <summary>The nodes' base URLs (http://127.0.0.1:port).</summary>
    public IReadOnlyList<Uri> Nodes { get; }

    /// <summary>The node processes on this machine (empty for remote nodes), for CPU and memory sampling.</summary>
    public IReadOnlyList<int> ProcessIds { get; }

    public TokenMinter Tokens { get; }

    public TargetStorage? Storage { get; }

    /// <summary>Starts one node on the embedded profile (SQLite under <paramref name="directory"/>, in-process backplane).</summary>
    public static async Task<Target> StartEmbeddedAsync(string directory, IReadOnlyDictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var key = NewKey();
        var database = Path.Combine(directory, "data", "cluster.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var settings = new Dictionary<string, string>(LoadTestSettings, StringComparer.Ordinal)
        {
            ["Cluster__NodeId"] = "loadtest-embedded",
            ["Cluster__Storage__Provider"] = "Sqlite",
            ["Cluster__Storage__ConnectionString"] = $"Data Source={database};Pooling=true",
            ["Cluster__Backplane__Provider"] = "InProcess",
            ["Auth__DevTokens"] = "false",
            ["Auth__SigningKey"] = key,
        };
        Merge(settings, extra);
        var node = await NodeProcess.StartAsync(directory, settings, cancellationToken);
        return new Target($"embedded node {node.Url} (SQLite, in-process backplane)", [node.Url], [node.ProcessId], new TokenMinter(key),
            new TargetStorage("Sqlite", $"Data Source={Path.Combine(directory, "data", "baseline.db")};Pooling=true"), () => node.DisposeAsync());
    }

    /// <summary>
    /// Starts one node on a PostgreSQL database (URL of a server the caller owns) with the in-process backplane: the
    /// single-node reference the cluster's cross-node fan-out is compared with.
    /// </summary>
    public static async Task<Target> StartSingleOnPostgresAsync(string directory, string connectionString, IReadOnlyDictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var key = NewKey();
        var settings = new Dictionary<string, string>(LoadTestSettings, StringComparer.Ordinal)
        {
            ["Cluster__NodeId"] = "loadtest-single",
            ["Cluster__Storage__Provider"] = "PostgreSql",
            ["Cluster__Storage__ConnectionString"] = connectionString,
            ["Cluster__Backplane__Provider"] = "InProcess",
            ["Auth__DevTokens"] = "false",
            ["Auth__SigningKey"] = key,
        };
        Merge(settings, extra);
        var node = await NodeProcess.StartAsync(directory, settings, cancellationToken);
        return new Target($"single node {node.Url} (PostgreSQL, in-process backplane)", [node.Url], [node.ProcessId], new TokenMinter(key),
            new TargetStorage("PostgreSql", connectionString), () => node.DisposeAsync());
    }

    /// <summary>Starts <paramref name="nodes"/> nodes on PostgreSQL and Redis with scripts/cluster.sh, in <paramref name="directory"/>.</summary>
    public static async Task<Target> StartClusterAsync(int nodes, string directory, IReadOnlyDictionary<string, string>? extra, TextWriter log, CancellationToken cancellationToken)
    {
        var script = FindClusterScript();
        var environment = new Dictionary<string, string>(LoadTestSettings, StringComparer.Ordinal)
        {
            ["CLUSTER_DIR"] = directory,
            ["BASE_PORT"] = FreeBasePort(nodes).ToString(CultureInfo.InvariantCulture),
        };
        Merge(environment, extra);
        // The load tests are built with the silo next to them; the script's own build is only needed when its copy is missing.
        var siloBuild = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(script))!, "silo", "Cluster.Silo", "bin", "Release", "net10.0", "Cluster.Silo.dll");
        if (File.Exists(siloBuild))
        {
            environment["CLUSTER_NO_BUILD"] = "1";
        }

        async ValueTask Down() => await RunScriptAsync(script, ["down"], environment, log, CancellationToken.None);
        try
        {
            await RunScriptAsync(script, ["up", nodes.ToString(CultureInfo.InvariantCulture)], environment, log, cancellationToken);
        }
        catch
        {
            await Down();
            throw;
        }

        var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "nodes"), cancellationToken);
        var entries = lines.Where(l => l.Length > 0).Select(l => l.Split(' ')).ToList();
        var key = (await File.ReadAllTextAsync(Path.Combine(directory, "signing-key"), cancellationToken)).Trim();
        var pgPort = (await File.ReadAllTextAsync(Path.Combine(directory, "pg-port"), cancellationToken)).Trim();
        return new Target(
            $"local cluster of {nodes} nodes (scripts/cluster.sh: PostgreSQL, Redis)",
            entries.Select(e => new Uri("http://127.0.0.1:" + e[1])).ToList(),
            entries.Select(e => int.Parse(e[0], CultureInfo.InvariantCulture)).ToList(),
            new TokenMinter(key),
            new TargetStorage("PostgreSql", $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=cluster;Timeout=5;Command Timeout=30"),
            Down);
    }

    /// <summary>Nodes already running (started by someone else, with Api__LoadTestEndpoints=true for the baselines).</summary>
    public static Target External(IReadOnlyList<Uri> nodes, string signingKey, string issuer, string audience, TargetStorage? storage) =>
        new($"external nodes {string.Join(", ", nodes)}", nodes, [], new TokenMinter(signingKey, issuer, audience), storage, () => ValueTask.CompletedTask);

    /// <summary>The node a user's connection goes to: spread round-robin by index.</summary>
    public Uri Node(int index) => Nodes[index % Nodes.Count];

    public ValueTask DisposeAsync() => _stop();

    /// <summary>scripts/cluster.sh of the repository the load tests were built in (or the current directory's).</summary>
    public static string FindClusterScript()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var script = Path.Combine(directory.FullName, "scripts", "cluster.sh");
                if (File.Exists(script))
                {
                    return script;
                }
            }
        }

        throw new FileNotFoundException("scripts/cluster.sh was not found above the load tests or the current directory.");
    }

    private static async Task RunScriptAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> environment, TextWriter log, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output) + (await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {text.Trim()}");
        }

        if (text.Trim().Length > 0)
        {
            await log.WriteLineAsync(text.TrimEnd());
        }
    }

    private static int FreeBasePort(int nodes)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = Random.Shared.Next(20_000, 30_000);
            if (Enumerable.Range(start + 1, nodes).All(IsFree))
            {
                return start;
            }
        }

        throw new InvalidOperationException("No free range of ports for the cluster's nodes.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string NewKey() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static void Merge(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
    }
}
