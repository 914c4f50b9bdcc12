using System.Globalization;
using Npgsql;
using Xunit;

namespace Cluster.Testing;

/// <summary>
/// A throwaway PostgreSQL server: its own data directory in a temp folder, a free port on 127.0.0.1, and no crash
/// safety (no fsync: tests do not need it, and it makes start-up and writes fast). It never touches a system database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cluster-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private string? _binDirectory;
    private EventHandler? _killOnExit;

    /// <summary>The TCP port on 127.0.0.1; it stays the same across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string for the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogPath => Path.Combine(_directory, "postgres.log");

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory();
        Directory.CreateDirectory(_directory);
        _killOnExit = (_, _) => KillNow();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await ProcessRunner.RunCheckedAsync("chown", [$"{ServiceUser}:{ServiceUser}", _directory], CommandTimeout);
            }

            await RunPgCheckedAsync("initdb", "-D", DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), Settings());
            await StartOnFreePortAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it, so each test gets its own.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Guid.NewGuid().ToString("N");
        if (name.Length is 0 or > 63 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("A database name is 1-63 ASCII letters, digits or underscores.", nameof(name));
        }

        using var timeout = new CancellationTokenSource(CommandTimeout);
        // Unpooled: a pooled connection would be dead after StopAsync/StartAsync and fail the next caller.
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync(timeout.Token);
        // The name is checked above; identifiers cannot be bound as parameters.
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(timeout.Token);
        return ConnectionStringFor(name);
    }

    /// <summary>Starts the server (again) on the same port and data directory and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var result = await RunPgAsync("pg_ctl", "start", "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-D", DataDirectory, "-l", LogPath, "-o", "-p " + Port.ToString(CultureInfo.InvariantCulture));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL did not start on 127.0.0.1:{Port} (pg_ctl exited with {result.ExitCode}).\n{result.Output}\nServer log tail:\n{ProcessRunner.Tail(LogPath)}");
        }

        await WaitUntilAcceptingAsync();
    }

    /// <summary>
    /// Stops the server: open and pooled connections break (Npgsql discards each on its first failed use), committed
    /// data is kept. Fast rather than immediate shutdown, because with synchronous_commit off an immediate one loses the last commits.
    /// </summary>
    public Task StopAsync() => StopAsync("fast");

    public async Task DisposeAsync()
    {
        if (_killOnExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
            _killOnExit = null;
        }

        if (_binDirectory is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopAsync("immediate");
            }
            catch
            {
                // Clean-up must go on; a server that refused to stop is killed by PID below.
            }
        }

        KillByPidFile();
        ProcessRunner.TryDeleteDirectory(_directory);
    }

    private string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50;Include Error Detail=true";

    private string Settings() => $"""

        # Throwaway test server: loopback only, no crash safety, room for the many pools tests open.
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '{_directory}'
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        max_connections = 300

        """;

    private async Task StartOnFreePortAsync()
    {
        // Another process may take the port between FreePort.Next() and the bind; a new port fixes that.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && ProcessRunner.Tail(LogPath).Contains("could not bind", StringComparison.Ordinal))
            {
            }
        }
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var probe = ConnectionString + ";Pooling=false;Timeout=2";
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL on 127.0.0.1:{Port} did not accept connections within {StartTimeout}.\nServer log tail:\n{ProcessRunner.Tail(LogPath)}", ex);
            }
        }
    }

    private Task StopAsync(string mode) => RunPgCheckedAsync("pg_ctl", "stop", "-m", mode, "-w", "-D", DataDirectory);

    private Task<ProcessResult> RunPgAsync(string tool, params string[] arguments)
    {
        var (file, args) = ProcessRunner.AsUser(ServiceUser, Path.Combine(_binDirectory!, tool), arguments);
        return ProcessRunner.RunAsync(file, args, CommandTimeout, _directory);
    }

    private Task<string> RunPgCheckedAsync(string tool, params string[] arguments)
    {
        var (file, args) = ProcessRunner.AsUser(ServiceUser, Path.Combine(_binDirectory!, tool), arguments);
        return ProcessRunner.RunCheckedAsync(file, args, CommandTimeout, _directory);
    }

    // Runs on ProcessExit, when a crashed or aborted test run skipped DisposeAsync.
    private void KillNow()
    {
        KillByPidFile();
        ProcessRunner.TryDeleteDirectory(_directory);
    }

    // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends down with it.
    private void KillByPidFile()
    {
        try
        {
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (!File.Exists(pidFile))
            {
                return;
            }

            var pid = File.ReadLines(pidFile).First().Trim();
            // Blocking is fine here: this runs on clean-up paths, including ProcessExit, which cannot await.
            ProcessRunner.RunAsync("kill", ["-QUIT", pid], TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }
        catch
        {
            // Best effort: the server may already be gone.
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var highest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(path => (Path: Path.Combine(path, "bin"), Version: int.TryParse(Path.GetFileName(path), out var v) ? v : -1))
                .Where(candidate => candidate.Version >= 0 && File.Exists(Path.Combine(candidate.Path, "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Path)
                .FirstOrDefault()
            : null;
        return highest ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries found under {root}/*/bin; install the 'postgresql' package (scripts/test.sh does).");
    }
}
