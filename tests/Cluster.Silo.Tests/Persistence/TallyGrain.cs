using Cluster.Grains.Abstractions;

namespace Cluster.Silo.Tests.Persistence;

/// <summary>The smallest grain with state: enough to see whether the silo writes state to disk and reads it back.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>Adds to the tally and returns the new total.</summary>
    Task<int> AddAsync(int amount);
}

public sealed class TallyState
{
    public int Total { get; set; }
}

public sealed class TallyGrain : Grain<TallyState>, ITallyGrain
{
    public Task<int> AddAsync(int amount) => Task.FromResult(State.Total += amount);
}
