using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A connection lives no longer than the token it was opened with: an expired session must stop receiving pushes.</summary>
public sealed class HubTokenExpiryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_connection_closes_when_its_token_expires()
    {
        var token = HubTokens.Mint(expires: DateTime.UtcNow.AddSeconds(3));
        await using var hub = await HubClient.ConnectAsync(factory.Server, token);
        Assert.True((await hub.SyncAsync(0, 1)).Ok);

        // The server can close at the token's exp (SignalR's CloseOnAuthenticationExpiration does); 15 s leaves ample margin.
        var close = await hub.WaitClosedAsync(TimeSpan.FromSeconds(15));

        Assert.NotNull(close);
        await Assert.ThrowsAsync<HubInvocationException>(() => hub.SyncAsync(0, 1));
    }
}
