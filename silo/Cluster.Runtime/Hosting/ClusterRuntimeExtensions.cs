using System.Reflection;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Feed;
using Cluster.Runtime.Outbox;
using Cluster.Runtime.Reminders;
using Cluster.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Assemblies scanned for grain classes.</summary>
public sealed class GrainAssemblyOptions
{
    public List<Assembly> Assemblies { get; } = [];
}

public static class ClusterRuntimeExtensions
{
    /// <summary>Adds the grain runtime configured from the "Cluster" section, validated at start-up.</summary>
    public static IServiceCollection AddClusterRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRuntimeStore>(sp => CreateStore(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Storage));
        services.TryAddSingleton(sp => CreateBackplane(sp));
        services.TryAddSingleton(sp => new BackplaneChannels(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Backplane.ChannelPrefix));
        services.TryAddSingleton(sp => new GrainRegistry(sp.GetRequiredService<IOptions<GrainAssemblyOptions>>().Value.Assemblies));
        services.TryAddSingleton<OutboxPublisher>();
        services.TryAddSingleton<OutboxRelay>();
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<ReminderService>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<Catalog>().GrainFactory);
        services.TryAddSingleton<IUserEventFeed, UserEventFeed>();
        services.AddHostedService<ClusterNodeService>();
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ClusterHealth.ReadyTag])
            .AddCheck<BackplaneHealthCheck>("backplane", tags: [ClusterHealth.ReadyTag]);
        return services;
    }

    /// <summary>Registers the grain classes of these assemblies.</summary>
    public static IServiceCollection AddGrainsFrom(this IServiceCollection services, params Assembly[] assemblies) =>
        services.Configure<GrainAssemblyOptions>(o => o.Assemblies.AddRange(assemblies));

    private static IRuntimeStore CreateStore(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.PostgreSql => new SqlRuntimeStore(new PostgresDialect(), storage.ConnectionString, storage.CommandTimeoutSeconds),
        _ => new SqlRuntimeStore(new SqliteDialect(), storage.ConnectionString, storage.CommandTimeoutSeconds),
    };

    private static IBackplane CreateBackplane(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ClusterOptions>>().Value.Backplane;
        return options.Provider switch
        {
            BackplaneProvider.Redis => new RedisBackplane(options.Redis!, services.GetRequiredService<ILogger<RedisBackplane>>()),
            _ => new InProcessBackplane(),
        };
    }
}
