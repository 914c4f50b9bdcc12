using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Cluster.Testing;

/// <summary>A throwaway redis-server on a free port on 127.0.0.1, with nothing persisted.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cluster-redis-" + Guid.NewGuid().ToString("N")[..12]);
    private string? _binary;
    private Process? _process;
    private EventHandler? _killOnExit;

    /// <summary>The TCP port on 127.0.0.1; it stays the same across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    private string LogPath => Path.Combine(_directory, "redis.log");

    public async Task InitializeAsync()
    {
        _binary = FindBinary();
        Directory.CreateDirectory(_directory);
        _killOnExit = (_, _) => KillNow();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
        try
        {
            // Another process may take the port between FreePort.Next() and the bind; a new port fixes that.
            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort.Next();
                try
                {
                    await StartAsync();
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3 && ProcessRunner.Tail(LogPath).Contains("Address already in use", StringComparison.Ordinal))
                {
                }
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port and waits until it answers PING. It starts empty.</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The Redis server is already running.");
        }

        _process = ProcessRunner.StartLogged(
            _binary!,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no"],
            LogPath,
            _directory);
        await WaitForPingAsync(_process);
    }

    /// <summary>Kills the server, as a crash would; clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (_killOnExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
            _killOnExit = null;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            ProcessRunner.TryDeleteDirectory(_directory);
        }
    }

    // Runs on ProcessExit, when a crashed or aborted test run skipped DisposeAsync.
    private void KillNow()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch
        {
            // Best effort: the server may already be gone.
        }

        ProcessRunner.TryDeleteDirectory(_directory);
    }

    private async Task WaitForPingAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersPingAsync())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var reason = process.HasExited ? $"exited with {process.ExitCode}" : $"did not answer PING within {StartTimeout}";
                await StopAsync();
                throw new InvalidOperationException($"redis-server on 127.0.0.1:{Port} {reason}.\nServer log tail:\n{ProcessRunner.Tail(LogPath)}");
            }

            await Task.Delay(50);
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string FindBinary()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server was not found on PATH or in /usr/bin; install the 'redis-server' package (scripts/test.sh does).");
    }
}
