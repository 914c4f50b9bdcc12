using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Outbox;
using Cluster.Runtime.Reminders;
using Cluster.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Testing.Nodes;

/// <summary>One runtime "node" inside the test process, composed as the silo composes it; grains come from the given assemblies.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;

    private TestNode(ServiceProvider services, IHostedService[] hosted)
    {
        _services = services;
        _hosted = hosted;
    }

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public Catalog Catalog => _services.GetRequiredService<Catalog>();

    public IRuntimeStore Store => _services.GetRequiredService<IRuntimeStore>();

    public IUserEventFeed Feed => _services.GetRequiredService<IUserEventFeed>();

    public OutboxRelay Relay => _services.GetRequiredService<OutboxRelay>();

    public ReminderService Reminders => _services.GetRequiredService<ReminderService>();

    /// <summary>The node's services, for what the properties above do not name.</summary>
    public IServiceProvider Services => _services;

    public static async Task<TestNode> StartAsync(
        StorageProvider provider,
        string connectionString,
        IBackplane? backplane = null,
        TimeProvider? clock = null,
        IDictionary<string, string?>? settings = null,
        string? nodeId = null,
        Action<IServiceCollection, IConfiguration>? configure = null,
        params System.Reflection.Assembly[] grainAssemblies)
    {
        var values = new Dictionary<string, string?>
        {
            ["Cluster:NodeId"] = nodeId ?? "node-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:Storage:Provider"] = provider.ToString(),
            ["Cluster:Storage:ConnectionString"] = connectionString,
            // Background loops are slow here so that tests drive relay and reminders themselves.
            ["Cluster:Runtime:RelayInterval"] = "00:10:00",
            ["Cluster:Runtime:ReminderPollInterval"] = "00:10:00",
            ["Cluster:Runtime:CallTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        if (backplane is not null)
        {
            services.AddSingleton(backplane);
        }

        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        if (grainAssemblies.Length == 0)
        {
            throw new ArgumentException("Name the assemblies whose grains the node hosts.", nameof(grainAssemblies));
        }

        configure?.Invoke(services, configuration);
        services.AddClusterRuntime(configuration).AddGrainsFrom(grainAssemblies);
        var provider1 = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var hosted = provider1.GetServices<IHostedService>().ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var service in hosted)
        {
            await service.StartAsync(timeout.Token);
        }

        return new TestNode(provider1, hosted);
    }

    public static string SqliteConnectionString(string directory) => $"Data Source={Path.Combine(directory, "cluster.db")};Pooling=true";

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var service in _hosted.Reverse())
        {
            await service.StopAsync(timeout.Token);
        }

        await _services.DisposeAsync();
    }
}

/// <summary>A temp directory removed when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cluster-test-").FullName;

    public void Dispose()
    {
        // Pooled SQLite connections keep the file open; release them before deleting it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
