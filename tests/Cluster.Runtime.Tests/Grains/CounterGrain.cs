using Cluster.Grains.Abstractions;

namespace Cluster.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public sealed class CounterGrain : Grain<CounterState>, ICounterGrain
{
    public Task<int> IncrementAsync() => Task.FromResult(++State.Value);

    public Task<int> GetAsync() => Task.FromResult(State.Value);
}
