using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Input;
using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Rest;

/// <summary>
/// A node answers only for the host names it is configured with, so a page on a rebound domain cannot pair its own
/// Origin with a matching Host header and pass the hub's origin check.
/// </summary>
public sealed class HostTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("localhost.evil.example")]
    public async Task A_request_for_a_host_the_node_is_not_configured_for_is_refused_with_a_problem_document(string host)
    {
        using var http = factory.ClientFor(DemoUsers.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request).Within();

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest, HostPolicy.HostNotAllowed);
        Assert.DoesNotContain(host, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/hubs/messaging/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/hubs/messaging")]
    public async Task A_rebinding_page_cannot_open_the_hub_with_its_own_origin_and_a_matching_host(string method, string path)
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = "evil.example";
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Authorization = new("Bearer", factory.TokenFor(DemoUsers.Admin));

        using var response = await http.SendAsync(request).Within();

        // Refused for its Host, before the origin check could compare the page's Origin with that Host.
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest, HostPolicy.HostNotAllowed);
        Assert.DoesNotContain("evil.example", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_on_another_origin_is_refused_by_the_origin_check_even_with_the_nodes_own_host()
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/messaging/negotiate?negotiateVersion=1");
        request.Headers.Host = "localhost";
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Authorization = new("Bearer", factory.TokenFor(DemoUsers.Admin));

        using var response = await http.SendAsync(request).Within();

        await response.ReadProblemAsync(HttpStatusCode.Forbidden, "origin_not_allowed");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("[::1]:8080")]
    public async Task The_local_host_names_are_served_by_default(string host)
    {
        using var http = factory.ClientFor(DemoUsers.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
