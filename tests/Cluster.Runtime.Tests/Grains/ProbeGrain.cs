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
}
