namespace Cluster.Grains.Abstractions;

/// <summary>Marker for grain interfaces. Grains are addressed by interface and string key.</summary>
public interface IGrain;

/// <summary>A grain whose identity is a string key (every grain of this cluster).</summary>
public interface IGrainWithStringKey : IGrain;
