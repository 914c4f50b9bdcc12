using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cluster.LoadTests.Targets;

/// <summary>
/// One silo node run by the load generator: the Cluster.Silo.dll built next to it, started by the dotnet host with the
/// given settings as environment variables, on 127.0.0.1 and a free port. Its output goes to a log file.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private NodeProcess(Process process, Uri url, string logPath, StreamWriter log)
    {
        _process = process;
        Url = url;
        LogPath = logPath;
        _log = log;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public string LogPath { get; }

    /// <summary>Starts a node in <paramref name="workingDirectory"/> and waits until /readyz answers 200.</summary>
    public static async Task<NodeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workingDirectory);
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(SiloDll());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url.ToString().TrimEnd('/'));
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(workingDirectory, "node.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, url, logPath, log);
        try
        {
            await WaitUntilReadyAsync(node, cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls GET /readyz until 200 (bounded: 60 s).</summary>
    public static async Task WaitUntilReadyAsync(Uri url, Func<bool> stillRunning, Func<string> describe, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(3) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (!stillRunning())
            {
                throw new InvalidOperationException($"The node at {url} exited during start-up. {describe()}");
            }

            try
            {
                using var response = await http.GetAsync("/readyz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow start; poll again.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The node at {url} did not become ready within 60 s. {describe()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first: the node closes its connections and finishes its turns; killed if it takes too long.
            using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            term?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>The built Cluster.Silo.dll: next to the load tests (the project references the silo for exactly this).</summary>
    public static string SiloDll()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Cluster.Silo.dll is not next to the load tests; build the project.", path);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task WaitUntilReadyAsync(NodeProcess node, CancellationToken cancellationToken) =>
        WaitUntilReadyAsync(node.Url, () => !node._process.HasExited, () => "See " + node.LogPath, cancellationToken);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }
}
