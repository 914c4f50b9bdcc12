using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Cluster.Silo.Tests.Executable;

/// <summary>
/// A node started as its own process, the way an operator starts it: the built Cluster.Silo.dll run by the
/// dotnet host in a working directory of the test's choosing. Disposing it kills whatever is still running.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _lines = [];

    private SiloProcess(Process process, int port)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A client of the node's HTTP port.</summary>
    public HttpClient Http { get; }

    /// <summary>Everything the node wrote to stdout and stderr so far, one entry per line.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Output => string.Join('\n', Lines);

    /// <summary>
    /// Starts the node on 127.0.0.1:<paramref name="port"/>, named by --urls or, with <paramref name="urlsFromEnvironment"/>,
    /// by ASPNETCORE_URLS; the node's environment holds no settings but the given ones.
    /// </summary>
    public static SiloProcess Start(string workingDirectory, int port, IReadOnlyDictionary<string, string>? environment = null, bool urlsFromEnvironment = false)
    {
        var urls = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cluster.Silo.dll"));
        if (!urlsFromEnvironment)
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add(urls);
        }

        // Settings inherited from the test runner's environment would make the node's behaviour depend on the machine.
        foreach (var key in info.Environment.Keys.Where(IsNodeSetting).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        if (urlsFromEnvironment)
        {
            info.Environment["ASPNETCORE_URLS"] = urls;
        }

        var process = new Process { StartInfo = info };
        var silo = new SiloProcess(process, port);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            silo.Http.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Polls /healthz until the node answers; fails with the node's output if it exits or the deadline passes.</summary>
    public async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The node exited with {_process.ExitCode} before it answered /healthz. Output:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
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
                // A request that outlived the client's timeout while the node was still starting.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The node did not answer /healthz within {StartTimeout}. Output:\n{Output}");
    }

    /// <summary>Asks the node to shut down as an orchestrator does (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            using var deadline = new CancellationTokenSource(ExitTimeout);
            await kill.WaitForExitAsync(deadline.Token);
        }

        return await WaitForExitAsync();
    }

    /// <summary>Waits for the node to exit by itself and returns its exit code, with its output complete.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The node did not exit within {ExitTimeout}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(ExitTimeout);
                await _process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more a test can do.
        }
        finally
        {
            _process.Dispose();
            Http.Dispose();
        }
    }

    private static bool IsNodeSetting(string key) =>
        key.StartsWith("Cluster__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    // The dotnet CLI tells the processes it starts where its host is; a bare "dotnet" is the fallback.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
