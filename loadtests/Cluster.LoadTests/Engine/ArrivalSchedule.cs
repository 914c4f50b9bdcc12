namespace Cluster.LoadTests.Engine;

/// <summary>
/// When each arrival of an open-model simulation is due. The rate goes linearly from <c>startRate</c> to
/// <c>endRate</c> (per second) over the duration; arrival k is due when the expected number of arrivals so far,
/// the integral of the rate, reaches k + ½. A constant rate thus spreads arrivals evenly, half a gap from each
/// end, and the count is the integral rounded.
/// </summary>
internal readonly struct ArrivalSchedule
{
    private readonly double _startRate;
    private readonly double _acceleration;
    private readonly double _total;

    public ArrivalSchedule(double startRate, double endRate, TimeSpan during)
    {
        var seconds = during.TotalSeconds;
        _startRate = startRate;
        _acceleration = (endRate - startRate) / seconds;
        _total = (startRate + endRate) / 2 * seconds;
        Count = _total > 0.5 ? (long)Math.Ceiling(_total - 0.5) : 0;
    }

    /// <summary>The number of arrivals: the integral of the rate, rounded.</summary>
    public long Count { get; }

    /// <summary>When arrival <paramref name="index"/> (0-based) is due, from the start of the simulation.</summary>
    public TimeSpan DueTime(long index)
    {
        // Solves startRate·t + acceleration·t²/2 = index + ½ in the form that stays exact when acceleration is 0.
        var arrivals = index + 0.5;
        var root = Math.Sqrt(Math.Max(0, _startRate * _startRate + 2 * _acceleration * arrivals));
        return TimeSpan.FromSeconds(2 * arrivals / (_startRate + root));
    }
}
