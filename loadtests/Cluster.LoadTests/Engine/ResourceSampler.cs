using System.Diagnostics;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// Samples, once per interval, the CPU of the generator (this process) against the server processes that share the
/// machine with it, and the servers' memory: a generator that eats the cores the servers need skews the results.
/// Servers are read from /proc; a server that is gone (or a machine without /proc) counts as nothing.
/// </summary>
public sealed class ResourceSampler : IAsyncDisposable
{
    private readonly int[] _serverProcessIds;
    private readonly TimeSpan _interval;
    private readonly List<ResourceSample> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    /// <summary>Creates a sampler of <paramref name="serverProcessIds"/>, every <paramref name="interval"/> (1 s by default).</summary>
    public ResourceSampler(IReadOnlyList<int> serverProcessIds, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(serverProcessIds);
        _serverProcessIds = [.. serverProcessIds.Distinct()];
        _interval = interval ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_interval, TimeSpan.Zero, nameof(interval));
    }

    /// <summary>The samples taken so far, oldest first.</summary>
    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_gate)
                return [.. _samples];
        }
    }

    /// <summary>Starts sampling in the background.</summary>
    public void Start()
    {
        if (_sampling is not null)
            throw new InvalidOperationException("The sampler has been started already.");
        _sampling = Task.Run(() => SampleAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Stops sampling; the samples taken stay.</summary>
    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_sampling is not null)
            await _sampling.ConfigureAwait(false);
    }

    /// <summary>The samples summed up; zeros when there are none.</summary>
    public ResourceSummary Summary()
    {
        var samples = Samples;
        if (samples.Count == 0)
            return new ResourceSummary(Environment.ProcessorCount, 0, 0, 0, 0, 0, 0);

        return new ResourceSummary(
            Environment.ProcessorCount,
            samples.Average(sample => sample.GeneratorCpuPercent),
            samples.Max(sample => sample.GeneratorCpuPercent),
            samples.Average(sample => sample.ServerCpuPercent),
            samples.Max(sample => sample.ServerCpuPercent),
            samples.Max(sample => sample.ServerRssBytes),
            samples.Max(sample => sample.GeneratorRssBytes));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var previous = Read(clock.Elapsed);
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var current = Read(clock.Elapsed);
                var sample = Compare(previous, current);
                lock (_gate)
                    _samples.Add(sample);
                previous = current;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private Reading Read(TimeSpan at)
    {
        using var self = Process.GetCurrentProcess();
        var serverTicks = new Dictionary<int, long>();
        long serverRss = 0;
        foreach (var pid in _serverProcessIds)
        {
            if (ProcFs.TryReadCpuTicks(pid, out var ticks))
                serverTicks[pid] = ticks;
            if (ProcFs.TryReadRssBytes(pid, out var rss))
                serverRss += rss;
        }

        return new Reading(at, self.TotalProcessorTime, self.WorkingSet64, serverTicks, serverRss);
    }

    // A server counts only when both readings saw it: one that started or vanished in between adds nothing.
    private static ResourceSample Compare(Reading previous, Reading current)
    {
        var wall = (current.At - previous.At).TotalSeconds;
        if (wall <= 0)
            return new ResourceSample(current.At.TotalSeconds, 0, 0, current.ServerRssBytes, current.GeneratorRssBytes);

        var generator = (current.GeneratorCpu - previous.GeneratorCpu).TotalSeconds / wall * 100;
        var serverTicks = current.ServerTicks
            .Where(server => previous.ServerTicks.ContainsKey(server.Key))
            .Sum(server => Math.Max(0, server.Value - previous.ServerTicks[server.Key]));
        var servers = serverTicks / ProcFs.ClockTicksPerSecond / wall * 100;
        return new ResourceSample(current.At.TotalSeconds, Math.Max(0, generator), servers, current.ServerRssBytes, current.GeneratorRssBytes);
    }

    private sealed record Reading(TimeSpan At, TimeSpan GeneratorCpu, long GeneratorRssBytes, Dictionary<int, long> ServerTicks, long ServerRssBytes);
}
