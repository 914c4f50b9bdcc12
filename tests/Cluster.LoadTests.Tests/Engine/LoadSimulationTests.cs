using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Tests.Engine;

/// <summary>Load simulations and the arrival schedule of the open models.</summary>
public sealed class LoadSimulationTests
{
    [Fact]
    public void SimulationsDescribeThemselvesBriefly()
    {
        Assert.Equal("inject 200 per 1s for 30s", LoadSimulation.Inject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).Describe());
        Assert.Equal("ramp to 50 per 500ms over 1.5s", LoadSimulation.RampingInject(50, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1.5)).Describe());
        Assert.Equal("keep 10 copies for 60s", LoadSimulation.KeepConstant(10, TimeSpan.FromMinutes(1)).Describe());
    }

    [Fact]
    public void ImpossibleSimulationsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadSimulation.Inject(-1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadSimulation.Inject(1, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadSimulation.KeepConstant(1, TimeSpan.Zero));
    }

    [Fact]
    public void AConstantRateSpreadsArrivalsEvenlyInsideEachInterval()
    {
        var schedule = new ArrivalSchedule(20, 20, TimeSpan.FromSeconds(2));

        Assert.Equal(40, schedule.Count);
        for (var arrival = 0; arrival < 40; arrival++)
            Assert.Equal(0.025 + arrival * 0.05, schedule.DueTime(arrival).TotalSeconds, 9);
    }

    [Theory]
    [InlineData(0, 40, 1, 20)]
    [InlineData(40, 20, 1, 30)]
    [InlineData(10, 100, 3, 165)]
    [InlineData(0, 0, 5, 0)]
    public void ARampStartsAsManyArrivalsAsTheIntegralOfItsRate(double from, double to, double seconds, long expected)
    {
        var schedule = new ArrivalSchedule(from, to, TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, schedule.Count);
        var dueTimes = Enumerable.Range(0, (int)schedule.Count).Select(arrival => schedule.DueTime(arrival)).ToList();
        Assert.Equal(dueTimes.Order(), dueTimes);
        Assert.All(dueTimes, due => Assert.InRange(due.TotalSeconds, 0, seconds));
    }
}
