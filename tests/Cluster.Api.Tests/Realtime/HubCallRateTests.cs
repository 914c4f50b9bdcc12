using Cluster.Api.Realtime;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Testing.Nodes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Each connection may make Api:HubCallsPerSecond calls (1 here) in bursts of Api:HubCallBurst (3); beyond that, rate_limited.</summary>
public sealed class HubCallRateTests(SlowHubCallsApi api) : IClassFixture<SlowHubCallsApi>
{
    [Fact]
    public async Task Calls_beyond_the_burst_get_a_rate_limited_result_and_the_connection_stays_open()
    {
        await using var hub = await ConnectAsync();

        var outcomes = await BurstAsync(hub, 8);

        var limited = outcomes.Where(o => !o.Ok).ToList();
        Assert.NotEmpty(limited);
        Assert.True(outcomes.Count(o => o.Ok) <= 3, "no more than the burst succeeds at once");
        Assert.All(limited, o =>
        {
            Assert.Equal(ErrorCodes.RateLimited, o.Error!.Code);
            Assert.Equal(1, o.Error.RetryAfterSeconds);
            HubAssert.NoInternals(o.Error.Message);
        });
        Assert.False(hub.Closed.IsCompleted);
    }

    [Fact]
    public async Task The_limit_is_per_connection_and_refills()
    {
        await using var busy = await ConnectAsync();
        await using var other = await ConnectAsync();
        Assert.Contains(await BurstAsync(busy, 8), o => !o.Ok);

        Assert.True((await other.SyncAsync(0, 1)).Ok, "another connection of the same user is not limited");
        await Eventually.AssertAsync(async () => (await busy.SyncAsync(0, 1)).Ok,
            "the busy connection may call again after the bucket refills", TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends the calls back to back without waiting in between; answers each call's result.</summary>
    private static async Task<HubResult<SyncPage>[]> BurstAsync(HubClient hub, int calls) =>
        await Task.WhenAll(Enumerable.Range(0, calls).Select(_ => hub.SyncAsync(0, 1)));

    private Task<HubClient> ConnectAsync() =>
        HubClient.ConnectAsync(api.Factory.Server, api.Factory.TokenFor("patient-rate-" + Guid.NewGuid().ToString("N")[..10], UserRole.Patient));
}
