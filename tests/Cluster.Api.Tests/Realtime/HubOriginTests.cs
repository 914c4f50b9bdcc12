using System.Net;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Browsers may open the hub only from the node's own origin or a configured one; apps that send no Origin are not browsers.</summary>
public sealed class HubOriginTests(PortalOriginApi api) : IClassFixture<PortalOriginApi>
{
    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("https://portal.example.org.evil.example")]
    [InlineData("http://portal.example.org")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_refused_403_on_upgrade_and_on_negotiate(string origin)
    {
        var upgrade = await Assert.ThrowsAsync<HubRefusedException>(() => ConnectAsync(new HubClientOptions { Origin = origin }));
        var negotiate = await Assert.ThrowsAsync<HubRefusedException>(() => ConnectAsync(new HubClientOptions { Origin = origin, Negotiate = true }));

        Assert.Equal(HttpStatusCode.Forbidden, upgrade.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        Assert.Contains("origin_not_allowed", negotiate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost", false)]
    [InlineData("http://localhost", true)]
    [InlineData("HTTP://LOCALHOST", false)]
    [InlineData(PortalOriginApi.Portal, false)]
    [InlineData(PortalOriginApi.Portal, true)]
    [InlineData(null, false)]
    [InlineData(null, true)]
    public async Task The_nodes_own_origin_a_configured_origin_and_no_origin_are_accepted(string? origin, bool negotiate)
    {
        await using var hub = await ConnectAsync(new HubClientOptions { Origin = origin, Negotiate = negotiate });

        Assert.True((await hub.SyncAsync(0, 1)).Ok);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_before_authentication()
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            HubClient.ConnectAsync(api.Factory.Server, accessToken: null, new HubClientOptions { Origin = "https://evil.example" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost", "http://localhost")]
    [InlineData("http://localhost", "https://evil.example")]
    [InlineData("https://evil.example", "http://localhost")]
    public async Task A_request_with_two_origin_headers_is_refused(string first, string second)
    {
        using var http = api.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/messaging/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", api.Factory.TokenFor(Portal.Clinician, UserRole.Clinician));
        request.Headers.TryAddWithoutValidation("Origin", [first, second]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("origin_not_allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HubClient> ConnectAsync(HubClientOptions options) =>
        HubClient.ConnectAsync(api.Factory.Server, api.Factory.TokenFor(Portal.Clinician, UserRole.Clinician), options);
}
