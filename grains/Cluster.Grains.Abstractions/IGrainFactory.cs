namespace Cluster.Grains.Abstractions;

/// <summary>Hands out references to grains. A reference is cheap; the grain activates on its first call.</summary>
public interface IGrainFactory
{
    /// <summary>A proxy whose Task-returning methods run as turns on the grain with this key.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;
}
