using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A node of its own with some "Api" settings changed, for the hub limits a shared node must not have.</summary>
public abstract class ConfiguredApi : IAsyncLifetime
{
    protected ConfiguredApi(IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            Factory.Settings[key] = value;
        }
    }

    public ApiFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>At most two hub connections per user.</summary>
public sealed class TwoConnectionsPerUserApi() : ConfiguredApi(new Dictionary<string, string?>
{
    ["Api:MaxConnectionsPerUser"] = "2",
});

/// <summary>One hub call per second per connection, in bursts of three.</summary>
public sealed class SlowHubCallsApi() : ConfiguredApi(new Dictionary<string, string?>
{
    ["Api:HubCallsPerSecond"] = "1",
    ["Api:HubCallBurst"] = "3",
});

/// <summary>One browser origin allowed besides the node's own.</summary>
public sealed class PortalOriginApi() : ConfiguredApi(new Dictionary<string, string?>
{
    ["Api:AllowedOrigins:0"] = PortalOriginApi.Portal,
})
{
    public const string Portal = "https://portal.example.org";
}
