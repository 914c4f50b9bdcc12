namespace Cluster.Grains.Policies;

/// <summary>A phrase that suggests an emergency, and the kind of emergency it suggests (e.g. "chest pain", "cardiac").</summary>
public sealed record RedFlag(string Phrase, string Category);
