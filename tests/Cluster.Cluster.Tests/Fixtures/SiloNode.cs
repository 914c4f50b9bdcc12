using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Cluster.Cluster.Tests.Fixtures;

/// <summary>
/// One node of the test cluster: the built Cluster.Silo.dll run by the dotnet host as its own process, on a fixed
/// loopback port that survives restarts. Its output (every start) is kept in memory for failure messages.
/// Every wait is bounded; <see cref="DisposeAsync"/> kills whatever is still running.
/// </summary>
public sealed class SiloNode : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);
    private const int MaxKeptLines = 4000;

    private readonly string _workingDirectory;
    private readonly LinkedList<string> _lines = new();
    private readonly HttpClient _probe;
    private Process? _process;
    private int _starts;

    internal SiloNode(int index, int port, string workingDirectory)
    {
        Index = index;
        Port = port;
        _workingDirectory = workingDirectory;
        Url = new Uri($"http://127.0.0.1:{port}");
        _probe = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>0-based position in the cluster.</summary>
    public int Index { get; }

    /// <summary>Cluster__NodeId of this node: "node-{Index}".</summary>
    public string NodeId => "node-" + Index.ToString(CultureInfo.InvariantCulture);

    public int Port { get; }

    /// <summary>http://127.0.0.1:{Port}</summary>
    public Uri Url { get; }

    /// <summary>The process id of the current run, or null when the node is not running.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    public bool IsRunning
    {
        get
        {
            try
            {
                return _process is { HasExited: false };
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>Everything the node wrote to stdout and stderr over all its runs (the last few thousand lines).</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>.</summary>
    public string Tail(int lines = 40)
    {
        lock (_lines)
        {
            return string.Join('\n', _lines.Skip(Math.Max(0, _lines.Count - lines)));
        }
    }

    /// <summary>Starts the process with exactly these node settings (inherited Cluster__/ASPNETCORE_ variables are removed).</summary>
    internal void Start(IReadOnlyDictionary<string, string> environment)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{NodeId} is already running.");
        }

        _process?.Dispose();
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(SiloDll());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(Url.ToString().TrimEnd('/'));
        foreach (var key in info.Environment.Keys.Where(IsNodeSetting).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var run = Interlocked.Increment(ref _starts);
        Append($"----- {NodeId} start #{run} on {Url} -----");
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Polls /readyz until it answers 200 (storage reachable); fails with the node's output if it exits or the deadline passes.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? within = null)
    {
        var limit = within ?? ReadyTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{NodeId} is not running (exit code {ExitCode()}) and never became ready. Output:\n{Tail(80)}");
            }

            try
            {
                using var response = await _probe.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // The probe's own timeout while the node starts.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{NodeId} did not answer /readyz with 200 within {limit}. Output:\n{Tail(80)}");
    }

    /// <summary>kill -9: the process dies at once, with no shutdown of any kind, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null || !IsRunning)
        {
            return;
        }

        Append($"----- {NodeId} killed (SIGKILL) by the test -----");
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited on its own in the meantime.
        }

        await WaitForExitAsync(process);
    }

    /// <summary>SIGTERM, as an orchestrator stops a node; answers the exit code. A node that outlives <see cref="ExitTimeout"/> is killed and the test fails.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process;
        if (process is null || !IsRunning)
        {
            return ExitCode() ?? 0;
        }

        Append($"----- {NodeId} stopped (SIGTERM) by the test -----");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await kill.WaitForExitAsync(deadline.Token);
        }

        using (var exit = new CancellationTokenSource(ExitTimeout))
        {
            try
            {
                await process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
                throw new TimeoutException($"{NodeId} did not exit within {ExitTimeout} of SIGTERM; it was killed. Output:\n{Tail(80)}");
            }
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Clean-up goes on; the process is as dead as it will get.
        }
        finally
        {
            _process?.Dispose();
            _process = null;
            _probe.Dispose();
        }
    }

    /// <summary>Kills without waiting; for ProcessExit, when an aborted run skipped DisposeAsync.</summary>
    internal void KillNow()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch
        {
            // Best effort.
        }
    }

    private int? ExitCode()
    {
        try
        {
            return _process is { HasExited: true } p ? p.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private async Task WaitForExitAsync(Process process)
    {
        using var deadline = new CancellationTokenSource(ExitTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{NodeId} (pid {process.Id}) was killed but did not exit within {ExitTimeout}.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.AddLast(line);
            if (_lines.Count > MaxKeptLines)
            {
                _lines.RemoveFirst();
            }
        }
    }

    /// <summary>The node's build output sits next to the tests (the project references Cluster.Silo for exactly this).</summary>
    internal static string SiloDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Cluster.Silo.dll is not next to the tests; build the test project.", path);
    }

    private static bool IsNodeSetting(string key) =>
        key.StartsWith("Cluster__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Api__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Messaging__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    // The dotnet CLI tells the processes it starts where its host is; a bare "dotnet" is the fallback.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
