using Cluster.Grains.Abstractions;

namespace Cluster.Runtime.Tests.Grains;

public sealed record ProbeReport(int MaxConcurrent, IReadOnlyList<int> Order);

public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Records its index and how many calls were inside the grain at once.</summary>
    Task EnterAsync(int index);

    Task<ProbeReport> ReportAsync();

    /// <summary>Never completes; for call timeouts.</summary>
    Task HangAsync();

    /// <summary>Waits until the test opens the named gate, then records <paramref name="index"/>.</summary>
    Task HoldAsync(string gate, int index);
}

public sealed class ProbeState
{
    public List<int> Order { get; set; } = [];

    public int MaxConcurrent { get; set; }
}

public sealed class ProbeGrain : Grain<ProbeState>, IProbeGrain
{
    private int _inside;

    public async Task EnterAsync(int index)
    {
        var inside = Interlocked.Increment(ref _inside);
        State.MaxConcurrent = Math.Max(State.MaxConcurrent, inside);
        State.Order.Add(index);
        await Task.Yield();
        await Task.Delay(1);
        Interlocked.Decrement(ref _inside);
    }

    public Task<ProbeReport> ReportAsync() => Task.FromResult(new ProbeReport(State.MaxConcurrent, State.Order.ToList()));

    public Task HangAsync() => new TaskCompletionSource().Task;

    public static System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    public async Task HoldAsync(string gate, int index)
    {
        await Gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        State.Order.Add(index);
    }
}
