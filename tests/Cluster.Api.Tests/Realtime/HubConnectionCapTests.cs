using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Nodes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A user holds at most Api:MaxConnectionsPerUser hub connections on a node (two here); the extra one is closed.</summary>
public sealed class HubConnectionCapTests(TwoConnectionsPerUserApi api) : IClassFixture<TwoConnectionsPerUserApi>
{
    [Fact]
    public async Task The_connection_over_the_cap_is_closed_and_the_others_keep_working()
    {
        var user = NewUser();
        await using var first = await ConnectAsync(user);
        await using var second = await ConnectAsync(user);

        await using var third = await ConnectAsync(user, new HubClientOptions { WaitUntilAttached = false });

        var close = await third.WaitClosedAsync();
        var call = await Assert.ThrowsAsync<HubInvocationException>(() => third.SyncAsync(0, 1));
        Assert.True(call.ConnectionClosed, $"the third connection should be closed, got {close}");
        Assert.True((await first.SyncAsync(0, 1)).Ok);
        Assert.True((await second.SyncAsync(0, 1)).Ok);
        Assert.False(first.Closed.IsCompleted);
        Assert.False(second.Closed.IsCompleted);
    }

    [Fact]
    public async Task The_cap_is_per_user()
    {
        var user = NewUser();
        await using var first = await ConnectAsync(user);
        await using var second = await ConnectAsync(user);

        await using var someoneElse = await ConnectAsync(NewUser());

        Assert.True((await someoneElse.SyncAsync(0, 1)).Ok);
    }

    [Fact]
    public async Task A_closed_connection_frees_its_place()
    {
        var user = NewUser();
        await using var first = await ConnectAsync(user);
        var second = await ConnectAsync(user);

        await second.DisposeAsync();

        // The node releases the place when it has processed the disconnect; each attempt is bounded.
        HubClient? admitted = null;
        await Eventually.AssertAsync(async () =>
        {
            var attempt = await ConnectAsync(user, new HubClientOptions { WaitUntilAttached = false });
            try
            {
                if ((await attempt.SyncAsync(0, 1)).Ok)
                {
                    admitted = attempt;
                    return true;
                }
            }
            catch (HubInvocationException ex) when (ex.ConnectionClosed)
            {
                // Refused while the place was still held; try again.
            }

            await attempt.DisposeAsync();
            return false;
        }, "a new connection is admitted after one closed");
        await using var again = admitted!;
        Assert.False(again.Closed.IsCompleted);
    }

    [Fact]
    public async Task Refused_connections_do_not_use_up_places()
    {
        var user = NewUser();
        await using (var first = await ConnectAsync(user))
        await using (var second = await ConnectAsync(user))
        {
            for (var i = 0; i < 3; i++)
            {
                await using var extra = await ConnectAsync(user, new HubClientOptions { WaitUntilAttached = false });
                await extra.WaitClosedAsync();
            }
        }

        // Both places come back once the two connections are gone; refused attempts held none.
        await Eventually.AssertAsync(async () =>
        {
            await using var a = await ConnectAsync(user, new HubClientOptions { WaitUntilAttached = false });
            await using var b = await ConnectAsync(user, new HubClientOptions { WaitUntilAttached = false });
            return await WorksAsync(a) && await WorksAsync(b);
        }, "two connections are admitted again");
    }

    private static async Task<bool> WorksAsync(HubClient hub)
    {
        try
        {
            return (await hub.SyncAsync(0, 1)).Ok;
        }
        catch (HubInvocationException ex) when (ex.ConnectionClosed)
        {
            return false;
        }
    }

    private static string NewUser() => "patient-cap-" + Guid.NewGuid().ToString("N")[..10];

    private Task<HubClient> ConnectAsync(string user, HubClientOptions? options = null) =>
        HubClient.ConnectAsync(api.Factory.Server, api.Factory.TokenFor(user, UserRole.Patient), options);
}
