using System.Diagnostics;
using System.Text;

namespace Cluster.Testing;

/// <summary>The output and exit code of a finished command.</summary>
internal sealed record ProcessResult(int ExitCode, string Output);

/// <summary>Runs the commands behind the throwaway servers, always with their output drained so a full pipe never blocks them.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs a command to completion, capturing stdout and stderr together; kills it when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var output = new StringBuilder();
        using var process = new Process { StartInfo = StartInfo(fileName, arguments, workingDirectory) };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // Also waits for both streams to close, so the captured output is complete.
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout}. Output:\n{Read(output)}");
        }

        return new ProcessResult(process.ExitCode, Read(output));
    }

    /// <summary>Runs a command and throws with its output when it exits non-zero.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var result = await RunAsync(fileName, arguments, timeout, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' exited with {result.ExitCode}. Output:\n{result.Output}");
        }

        return result.Output;
    }

    /// <summary>Starts a long-running server whose stdout and stderr are appended to <paramref name="logPath"/>.</summary>
    public static Process StartLogged(string fileName, IEnumerable<string> arguments, string logPath, string? workingDirectory = null)
    {
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var openStreams = 2;
        void OnLine(string? line)
        {
            lock (log)
            {
                if (line is not null)
                {
                    log.WriteLine(line);
                }
                else if (--openStreams == 0)
                {
                    log.Dispose();
                }
            }
        }

        var process = new Process { StartInfo = StartInfo(fileName, arguments, workingDirectory) };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Wraps a command so it runs as <paramref name="user"/> when this process is root (PostgreSQL refuses to run as root),
    /// and runs it unchanged otherwise.
    /// </summary>
    public static (string FileName, string[] Arguments) AsUser(string user, string fileName, params string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? ("runuser", ["-u", user, "--", fileName, .. arguments])
            : (fileName, arguments);

    /// <summary>The last lines of a log file, for error messages; empty when there is no log.</summary>
    public static string Tail(string path, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Deletes a directory tree, ignoring what is already gone; used on clean-up paths that must not throw.</summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            // Servers get an empty stdin so they never wait on, or steal from, the test runner's terminal.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
