using System.Globalization;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// One stretch of load. <see cref="Inject"/> and <see cref="RampingInject"/> are open models: arrivals follow the
/// clock and never wait for responses. <see cref="KeepConstant"/> is a closed model: a fixed number of workers.
/// </summary>
public abstract record LoadSimulation(TimeSpan During)
{
    /// <summary><paramref name="rate"/> iterations started per <paramref name="interval"/>, spread evenly (not in bursts).</summary>
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during) => new InjectLoad(rate, interval, during);

    /// <summary>A linear ramp from the previous simulation's rate (0 when first) to <paramref name="rate"/> per <paramref name="interval"/>.</summary>
    public static LoadSimulation RampingInject(int rate, TimeSpan interval, TimeSpan during) => new RampingInjectLoad(rate, interval, during);

    /// <summary><paramref name="copies"/> workers each running iterations back to back.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) => new KeepConstantLoad(copies, during);

    /// <summary>A short description, such as <c>inject 200 per 1s for 30s</c>.</summary>
    public abstract string Describe();

    /// <summary>The arrival rate (per second) this simulation ends at, which a following ramp starts from.</summary>
    internal abstract double EndRatePerSecond(double previousRatePerSecond);

    /// <summary>Formats a duration the short way: <c>30s</c>, <c>500ms</c>, <c>1.5s</c>.</summary>
    internal static string Format(TimeSpan value) =>
        value < TimeSpan.FromSeconds(1)
            ? value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms"
            : value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private protected static void Validate(int amount, string name, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount, name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(during, TimeSpan.Zero, nameof(during));
    }

    private protected static double PerSecond(int rate, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(interval));
        return rate / interval.TotalSeconds;
    }
}

/// <summary>An open-model arrival rate of <see cref="Rate"/> iterations per <see cref="Interval"/>.</summary>
public abstract record RateLoad : LoadSimulation
{
    /// <summary>Creates the simulation; the rate is not negative and both durations are positive.</summary>
    private protected RateLoad(int rate, TimeSpan interval, TimeSpan during)
        : base(during)
    {
        Validate(rate, nameof(rate), during);
        RatePerSecond = PerSecond(rate, interval);
        Rate = rate;
        Interval = interval;
    }

    /// <summary>Iterations started per <see cref="Interval"/> (for a ramp: at its end).</summary>
    public int Rate { get; }

    /// <summary>The interval the rate is given per.</summary>
    public TimeSpan Interval { get; }

    internal double RatePerSecond { get; }

    internal override double EndRatePerSecond(double previousRatePerSecond) => RatePerSecond;
}

/// <summary>A constant open-model arrival rate: <see cref="RateLoad.Rate"/> iterations per <see cref="RateLoad.Interval"/>.</summary>
public sealed record InjectLoad(int Rate, TimeSpan Interval, TimeSpan During) : RateLoad(Rate, Interval, During)
{
    /// <inheritdoc />
    public override string Describe() => $"inject {Rate} per {Format(Interval)} for {Format(During)}";
}

/// <summary>An open-model arrival rate ramping linearly from the previous simulation's rate to <see cref="RateLoad.Rate"/> per <see cref="RateLoad.Interval"/>.</summary>
public sealed record RampingInjectLoad(int Rate, TimeSpan Interval, TimeSpan During) : RateLoad(Rate, Interval, During)
{
    /// <inheritdoc />
    public override string Describe() => $"ramp to {Rate} per {Format(Interval)} over {Format(During)}";
}

/// <summary>A closed model: <see cref="Copies"/> workers, each starting its next iteration when the last one ends.</summary>
public sealed record KeepConstantLoad : LoadSimulation
{
    /// <summary>Creates the simulation; copies are not negative and the duration is positive.</summary>
    public KeepConstantLoad(int copies, TimeSpan during)
        : base(during)
    {
        Validate(copies, nameof(copies), during);
        Copies = copies;
    }

    /// <summary>The number of concurrent workers.</summary>
    public int Copies { get; }

    /// <inheritdoc />
    public override string Describe() => $"keep {Copies} {(Copies == 1 ? "copy" : "copies")} for {Format(During)}";

    // A closed model has no arrival rate; a ramp after it starts from zero.
    internal override double EndRatePerSecond(double previousRatePerSecond) => 0;
}
