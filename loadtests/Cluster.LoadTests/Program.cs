using Cluster.LoadTests;

if (args is [] or ["-h" or "--help"])
{
    Console.WriteLine(LoadTestOptions.Usage);
    return args is [] ? 2 : 0;
}

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (UsageException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the run early but still stops the nodes and writes what was measured.
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var result = await LoadTestApp.RunAsync(options, Console.Out, interactive: !Console.IsOutputRedirected, stop.Token);
    return result.Failures == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or UsageException
    or HttpRequestException or System.Net.Sockets.SocketException or Cluster.LoadTests.Client.HubCallException)
{
    Console.Error.WriteLine("The load test could not run: " + ex.Message);
    return 1;
}
