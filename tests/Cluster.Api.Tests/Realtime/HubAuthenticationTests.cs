using System.Net;
using System.Net.Http.Headers;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Realtime;

/// <summary>The hub opens only for a valid token of this node, whether the client negotiates first or connects directly.</summary>
public sealed class HubAuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("not-yet-valid")]
    [InlineData("wrong-signature")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("unsigned")]
    [InlineData("garbage")]
    public async Task Websocket_upgrade_without_a_valid_token_is_refused_401(string token)
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => HubClient.ConnectAsync(factory.Server, HubTokens.Named(token)));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("not-yet-valid")]
    [InlineData("wrong-signature")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("unsigned")]
    [InlineData("garbage")]
    public async Task Negotiate_without_a_valid_token_is_refused_401(string token)
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            HubClient.ConnectAsync(factory.Server, HubTokens.Named(token), new HubClientOptions { Negotiate = true }));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_valid_token_opens_the_hub_directly_or_after_negotiate(bool negotiate)
    {
        await using var hub = await HubClient.ConnectAsync(factory.Server, HubTokens.Named("valid"), new HubClientOptions { Negotiate = negotiate });

        Assert.True((await hub.SyncAsync(0, 1)).Ok);
    }

    [Fact]
    public async Task A_negotiated_connection_token_without_the_users_token_is_refused_401()
    {
        var connectionToken = await HubClient.NegotiateAsync(factory.Server, HubTokens.Named("valid"), origin: null, CancellationToken.None);
        var client = factory.Server.CreateWebSocketClient();

        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            client.ConnectAsync(new Uri($"ws://localhost{HubClient.HubPath}?id={Uri.EscapeDataString(connectionToken)}"), CancellationToken.None));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_query_string_token_counts_only_on_the_hub_path()
    {
        using var http = factory.CreateClient();
        var token = factory.TokenFor(Portal.Clinician, UserRole.Clinician);

        using var viaQuery = await http.GetAsync(new Uri("/api/v1/sync?access_token=" + Uri.EscapeDataString(token), UriKind.Relative));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var viaHeader = await http.GetAsync(new Uri("/api/v1/sync", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, viaQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
    }
}
