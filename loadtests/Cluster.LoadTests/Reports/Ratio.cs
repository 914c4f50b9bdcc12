namespace Cluster.LoadTests.Reports;

/// <summary>
/// A number against a baseline, such as a cluster's throughput against one node's, with the target the quotient
/// must reach: at least <see cref="Target"/> when <see cref="Higher"/>, at most otherwise.
/// </summary>
public sealed record Ratio(string Name, double Value, double Baseline, string Unit, double? Target, bool Higher)
{
    /// <summary><see cref="Value"/> / <see cref="Baseline"/>; not a number when the baseline is 0.</summary>
    public double Factor => Baseline == 0 ? double.NaN : Value / Baseline;

    /// <summary>Whether the target is met; null without a target or without a usable baseline.</summary>
    public bool? Met => Target is not { } target || !double.IsFinite(Factor) ? null : Higher ? Factor >= target : Factor <= target;
}
