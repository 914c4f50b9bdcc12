using System.Net;
using System.Text.Json;
using Cluster.Storage;
using Cluster.Silo.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Silo.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task ReadinessListsEachCheckWithItsStatusAndDescription()
    {
        using var directory = new TempDirectory();
        await using var silo = new SiloFactory(directory.SqliteConnectionString());
        using var client = silo.CreateClient();

        var (status, body) = await GetAsync(client, "/readyz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["backplane", "storage"], checks.Keys.Order());
        Assert.All(checks.Values, check => Assert.Equal("Healthy", check.GetProperty("status").GetString()));
        Assert.Equal("sqlite", checks["storage"].GetProperty("description").GetString());
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task ReadinessShowsAnonymousCallersNoFilePathsOrHosts()
    {
        using var directory = new TempDirectory();
        await using var silo = new SiloFactory(directory.SqliteConnectionString());
        using var client = silo.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative)).WaitAsync(Bounded.Call);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(directory.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain(".db", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/", text.Replace("https://", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task ReadinessAnswers503NamingStorageOnceTheStoreStopsAnswering()
    {
        using var directory = new TempDirectory();
        await using var store = new SqlRuntimeStore(new SqliteDialect(), directory.SqliteConnectionString(), commandTimeoutSeconds: 10);
        var unpluggable = UnpluggableStore.Wrap(store);
        await using var silo = new SiloFactory(directory.SqliteConnectionString(), services => Replace(services, unpluggable.Store));
        using var client = silo.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/readyz")).Status);

        unpluggable.Unplug();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative)).WaitAsync(Bounded.Call);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        var storage = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "storage");
        Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
        Assert.DoesNotContain(UnpluggableStore.SecretFailureText, text, StringComparison.Ordinal);
    }

    [Fact(Timeout = Bounded.TestMilliseconds)]
    public async Task LivenessStaysHealthyWhileTheStoreIsUnreachable()
    {
        using var directory = new TempDirectory();
        await using var store = new SqlRuntimeStore(new SqliteDialect(), directory.SqliteConnectionString(), commandTimeoutSeconds: 10);
        var unpluggable = UnpluggableStore.Wrap(store);
        await using var silo = new SiloFactory(directory.SqliteConnectionString(), services => Replace(services, unpluggable.Store));
        using var client = silo.CreateClient();

        unpluggable.Unplug();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(Bounded.Call);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static void Replace(IServiceCollection services, IRuntimeStore store)
    {
        services.RemoveAll<IRuntimeStore>();
        services.AddSingleton(store);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).WaitAsync(Bounded.Call);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
