using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cluster.Api.LoadTesting;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A node under a load test: the echo hub and the memory probe are served.</summary>
public sealed class LoadTestApi() : ConfiguredApi(new Dictionary<string, string?>
{
    ["Api:LoadTestEndpoints"] = "true",
});

/// <summary>The load tests' baseline endpoints exist only when the load-test flag is set, and only for signed-in callers.</summary>
public sealed class LoadTestEndpointTests(LoadTestApi api, ApiFactory plain) : IClassFixture<LoadTestApi>, IClassFixture<ApiFactory>
{
    private static readonly HubClientOptions Echo = new() { Path = EchoHub.Path, WaitUntilAttached = false };

    [Fact]
    public async Task The_echo_hub_answers_the_payload_and_pushes_to_the_named_user()
    {
        var sender = api.Factory.TokenFor("echo-sender", UserRole.Patient);
        var receiver = api.Factory.TokenFor("echo-receiver", UserRole.Clinician);
        var pushed = new TaskCompletionSource<HubPush>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiving = await HubClient.ConnectAsync(api.Factory.Server, receiver, Echo with { OnPush = p => pushed.TrySetResult(p) });
        await using var sending = await HubClient.ConnectAsync(api.Factory.Server, sender, Echo);

        Assert.Equal("ping 1", await sending.InvokeAsync<string>(nameof(EchoHub.Echo), "ping 1"));
        Assert.True(await sending.InvokeAsync<bool>(nameof(EchoHub.EchoTo), "echo-receiver", "ping 2"));

        var push = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(EchoHub.EchoedEvent, push.Method);
        Assert.Equal("ping 2", push.Arguments[0].GetString());
    }

    [Fact]
    public async Task The_echo_hub_refuses_a_missing_token()
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => HubClient.ConnectAsync(api.Factory.Server, accessToken: null, Echo));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_memory_probe_reports_the_managed_heap_and_working_set_to_a_signed_in_caller()
    {
        using var anonymous = api.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(LoadTestEndpoints.MemoryPath)).StatusCode);

        using var client = Authorised(api.Factory);
        var memory = await client.GetFromJsonAsync<NodeMemory>(LoadTestEndpoints.MemoryPath);

        Assert.NotNull(memory);
        Assert.InRange(memory.ManagedBytes, 1, memory.WorkingSetBytes);
    }

    [Fact]
    public async Task Without_the_flag_neither_endpoint_exists()
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            HubClient.ConnectAsync(plain.Server, plain.TokenFor("echo-sender", UserRole.Patient), Echo));
        using var client = Authorised(plain);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(LoadTestEndpoints.MemoryPath)).StatusCode);
    }

    private static HttpClient Authorised(ApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.TokenFor("probe", UserRole.Admin));
        return client;
    }
}
