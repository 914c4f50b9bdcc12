namespace Cluster.Api.Tests.Fixtures;

/// <summary>
/// The node on a real Kestrel server on a free loopback port, for what the in-memory TestServer does not do as Kestrel does
/// (request body limits enforced while a chunked body is read, connection handling). Clients from
/// <see cref="ApiFactory.CreateClient()"/> talk to it over sockets.
/// </summary>
public sealed class KestrelApi : IAsyncLifetime
{
    public ApiFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
