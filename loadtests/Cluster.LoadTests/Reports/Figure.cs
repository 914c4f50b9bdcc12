namespace Cluster.LoadTests.Reports;

/// <summary>A headline number of a run, such as the highest sustained send rate.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Note = null);
